#pragma once
/// \file
/// Middlewares, Cowboy's `cowboy_middleware`: `execute(req, env)` continues or stops the chain.
/// The chain is a value in the listener's options; the default is [router, handler]
/// (rodeo::mw::default_chain). Middlewares are shared by every request actor at once, so
/// `execute` is const and must not touch shared mutable state without synchronisation.

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "rodeo/env.hpp"

namespace rodeo {

class req;

enum class middleware_result {
  next,  ///< go on with the next middleware
  stop,  ///< end the chain here (the middleware replied, or chose 204)
};

class middleware {
 public:
  virtual ~middleware() = default;
  virtual middleware_result execute(req& r, env& e) const = 0;
};

using middleware_ptr = std::shared_ptr<const middleware>;
using middleware_chain = std::vector<middleware_ptr>;

namespace detail {
template <class F>
class function_middleware final : public middleware {
 public:
  explicit function_middleware(F f) : f_(std::move(f)) {}
  middleware_result execute(req& r, env& e) const override { return f_(r, e); }

 private:
  F f_;
};
}  // namespace detail

/// A middleware from a callable `middleware_result(req&, env&)`.
template <class F>
middleware_ptr make_middleware(F f) {
  return std::make_shared<detail::function_middleware<F>>(std::move(f));
}

}  // namespace rodeo
