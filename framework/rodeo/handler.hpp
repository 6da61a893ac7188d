#pragma once
/// \file
/// Handlers, Cowboy's handler modules: a fresh object per request, `init(req)` and an optional
/// `terminate`. A route targets a handler through `rodeo::handler<T>(args...)`, which builds a
/// `T(args...)` for every request (the args are the handler's options from the route table).
///
/// Kinds:
/// - plain: `init` replies (or not: the framework then sends 204) and returns `ok`;
/// - loop: `init` returns `loop`; the request actor stays alive and every message it receives
///   (from other actors, timers) goes to `info` until the handler replies and returns `ok`,
///   or `loop_timeout()` passes (then `timeout` runs; its default replies 204).

#include <caf/fwd.hpp>

#include <chrono>
#include <memory>
#include <string_view>
#include <tuple>
#include <utility>

namespace rodeo {

class req;

enum class handler_result {
  ok,    ///< done: the request actor finishes (204 if nothing was replied)
  loop,  ///< keep the request actor alive and deliver messages to `info`
};

/// Why a handler ended; passed to `terminate`.
enum class terminate_reason {
  normal,    ///< init/info returned ok
  crash,     ///< the handler threw
  reset,     ///< the client reset the stream or closed the connection
  timeout,   ///< a loop handler's timeout passed
  shutdown,  ///< the listener stopped
};

std::string_view to_string(terminate_reason r);

class handler_base {
 public:
  virtual ~handler_base() = default;
  virtual handler_result init(req& r) = 0;
  /// Loop handlers: a message the request actor received.
  virtual handler_result info(const caf::message& /*msg*/, req& /*r*/) {
    return handler_result::ok;
  }
  /// Loop handlers: idle time after which `timeout` runs.
  virtual std::chrono::milliseconds loop_timeout() const { return std::chrono::seconds(60); }
  /// Loop handlers: the timeout passed. The default replies 204 if nothing was sent.
  virtual void timeout(req& r);
  /// Loop handlers: the listener is stopping gracefully (SIGINT/SIGTERM in rodeo::serve).
  /// Send what ends the response cleanly (a last event, the trailers); afterwards the
  /// framework ends a streamed body still open (or replies 204), and `terminate` gets
  /// `shutdown`. The default does nothing more.
  virtual void on_shutdown(req& /*r*/) {}
  /// Always runs last, whatever ended the handler (even a client reset).
  virtual void terminate(terminate_reason /*reason*/, req& /*r*/) {}
};

/// Makes a handler per request; route tables hold these.
class handler_factory {
 public:
  virtual ~handler_factory() = default;
  virtual std::unique_ptr<handler_base> make() const = 0;
};

using route_target = std::shared_ptr<const handler_factory>;

namespace detail {
template <class H, class... Args>
class handler_factory_of final : public handler_factory {
 public:
  explicit handler_factory_of(Args... args) : args_(std::move(args)...) {}
  std::unique_ptr<handler_base> make() const override {
    return std::apply([](const Args&... a) { return std::make_unique<H>(a...); }, args_);
  }

 private:
  std::tuple<Args...> args_;
};
}  // namespace detail

/// A route target that builds `H(args...)` for every request.
template <class H, class... Args>
route_target handler(Args... args) {
  static_assert(std::is_base_of_v<handler_base, H>, "a handler derives from rodeo::handler_base");
  return std::make_shared<detail::handler_factory_of<H, Args...>>(std::move(args)...);
}

}  // namespace rodeo
