#pragma once
/// \file
/// Middlewares, Cowboy's `cowboy_middleware`: `execute(req, env)` continues or stops the chain.
/// The chain is a value in the listener's options; the default is [router, handler]
/// (rodeo::mw::default_chain). Middlewares are shared by every request actor at once, so
/// `execute` is const and must not touch shared mutable state without synchronisation.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rodeo/env.hpp"
#include "rodeo/type_name.hpp"

namespace rodeo {

class req;

enum class middleware_result {
  next,  ///< go on with the next middleware
  /// End the chain here: the middleware replied, or the framework answers 204 (logged at
  /// debug, naming the middleware).
  stop,
};

class middleware {
 public:
  virtual ~middleware() = default;
  /// Runs for a request. A middleware that replied must return `stop`; one that returns
  /// `next` after replying ends the chain all the same, with a warning naming it.
  virtual middleware_result execute(req& r, env& e) const = 0;
  /// The name logs give this middleware: its demangled type name unless overridden.
  virtual std::string name() const { return demangled_name(typeid(*this)); }
};

using middleware_ptr = std::shared_ptr<const middleware>;
using middleware_chain = std::vector<middleware_ptr>;

namespace detail {
template <class F>
class function_middleware final : public middleware {
 public:
  function_middleware(std::string name, F f) : name_(std::move(name)), f_(std::move(f)) {}
  middleware_result execute(req& r, env& e) const override { return f_(r, e); }
  std::string name() const override { return name_.empty() ? middleware::name() : name_; }

 private:
  std::string name_;
  F f_;
};
}  // namespace detail

/// A middleware from a callable `middleware_result(req&, env&)`.
template <class F>
middleware_ptr make_middleware(F f) {
  return std::make_shared<detail::function_middleware<F>>(std::string{}, std::move(f));
}

/// The same, named `name` in logs (a lambda's type name says little).
template <class F>
middleware_ptr make_middleware(std::string name, F f) {
  return std::make_shared<detail::function_middleware<F>>(std::move(name), std::move(f));
}

/// Runs `chain` in order over (r, e) until a middleware stops it, or replies: one that
/// replied and returned `next` ends the run too (a warning names it), so nothing after it
/// runs on an answered request. With `last_may_reply` the last middleware may reply and
/// return `next` (the handler middleware at the end of a listener's chain). Returns `stop`
/// if the run ended early. The request actor runs the listener's chain with it, the router
/// a route's own middlewares.
middleware_result run_middlewares(const middleware_chain& chain, req& r, env& e,
                                  bool last_may_reply);

}  // namespace rodeo
