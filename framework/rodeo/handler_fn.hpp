#pragma once
/// \file
/// Lambda handlers: `rodeo::handler_fn([](rodeo::req& r) { r.reply(200, {}, "hi"); })` is a
/// route target, usable wherever `rodeo::handler<T>()` is. The callable takes `rodeo::req&`
/// and returns void (done) or `rodeo::handler_result::ok`. It is shared by every request at
/// once, so it is called as const: captures are read-only configuration, as a handler class's
/// constructor arguments are. A handler that loops (messages, timers) or needs `terminate`
/// stays a class.

#include <memory>
#include <type_traits>
#include <utility>

#include "rodeo/errors.hpp"
#include "rodeo/handler.hpp"

namespace rodeo {

namespace detail {

template <class F>
class fn_handler final : public handler_base {
 public:
  explicit fn_handler(std::shared_ptr<const F> f) : f_(std::move(f)) {}
  handler_result init(req& r) override {
    if constexpr (std::is_void_v<std::invoke_result_t<const F&, req&>>) {
      (*f_)(r);
      return handler_result::ok;
    } else {
      if ((*f_)(r) == handler_result::ok) return handler_result::ok;
      throw usage_error(
          "a rodeo::handler_fn returned handler_result::loop: a lambda has no info() to "
          "receive messages; write a class deriving from rodeo::handler_base instead");
    }
  }

 private:
  std::shared_ptr<const F> f_;
};

template <class F>
class fn_factory final : public handler_factory {
 public:
  explicit fn_factory(F f) : f_(std::make_shared<const F>(std::move(f))) {}
  std::unique_ptr<handler_base> make() const override {
    return std::make_unique<fn_handler<F>>(f_);
  }

 private:
  std::shared_ptr<const F> f_;
};

}  // namespace detail

/// A route target from a callable `void(req&)` or `handler_result(req&)`.
template <class F>
route_target handler_fn(F f) {
  static_assert(std::is_invocable_v<const F&, req&>,
                "rodeo::handler_fn takes a callable of rodeo::req& (const-callable)");
  using R = std::invoke_result_t<const F&, req&>;
  static_assert(std::is_void_v<R> || std::is_same_v<R, handler_result>,
                "a rodeo::handler_fn callable returns void or rodeo::handler_result");
  return std::make_shared<detail::fn_factory<F>>(std::move(f));
}

}  // namespace rodeo
