#pragma once
/// \file
/// `req_access`: the framework's side of a `req`, for the request actor and the router and
/// handler middlewares. Internal (not installed): handlers cannot reach these calls, so a
/// handler cannot, say, send a crash or rewrite the route behind the framework's back.

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "rodeo/handler.hpp"
#include "rodeo/internal/actor/request_actor.hpp"
#include "rodeo/req.hpp"

namespace rodeo {

class req_access {
 public:
  req_access() = delete;

  /// The router middleware: the bindings and the host and path info of the matched route.
  static void set_route(req& r, rodeo::bindings b, path_tokens host_info, path_tokens path_info) {
    r.set_route(std::move(b), std::move(host_info), std::move(path_info));
  }
  /// The router middleware: the matched route's pattern and name (req.route()).
  static void set_route_info(req& r, std::string pattern, std::string name) {
    r.set_route_info(std::move(pattern), std::move(name));
  }
  /// The listener's error page, asked after the request's own (req::set_error_page).
  static void set_listener_error_page(req& r, std::shared_ptr<const error_page_fn> page) {
    r.listener_error_page_ = std::move(page);
  }
  /// The handler middleware, for a route placed on CAF's workers: true if the request actor
  /// leaves its io thread now and the middleware is to run again on a worker.
  static bool hop_to_workers(req& r, const middleware& handler_mw) {
    return r.self() && rodeo::hop_to_workers(r.self(), handler_mw);
  }
  /// The request actor running `r`, bound when it starts.
  static void bind_actor(req& r, caf::event_based_actor* self) { r.bind_actor(self); }
  /// The channel to the connection.
  static stream_link& link(req& r) { return r.link(); }
  /// A piece of the request body arrived (fin: the last).
  static void deliver_body(req& r, std::string_view data, bool fin) { r.deliver_body(data, fin); }
  /// A WebSocket's 101 (HTTP/1.1) or 200 (HTTP/2, RFC 8441) and the start of its tunnel:
  /// every byte the client sends afterwards goes to `on_bytes` (the body of an HTTP/2
  /// CONNECT stream, the connection's bytes after the 101 in HTTP/1.1).
  static void open_tunnel(req& r, int status, const rodeo::headers& fields,
                          std::function<void(req&, std::string_view, bool)> on_bytes) {
    r.open_tunnel(status, fields, std::move(on_bytes));
  }
  /// The stream's queued output drained below the low-water mark.
  static void deliver_drain(req& r) { r.deliver_drain(); }
  /// A body read or drain callback is pending: the request actor stays alive.
  static bool waiting(const req& r) { return r.waiting(); }
  /// stream_body back-pressure: the request actor holds the handler's messages meanwhile.
  static bool blocked(const req& r) { return r.blocked(); }
  /// The handler threw: 500, or a reset if the reply had started.
  static void send_crash(req& r) { r.send_crash(); }
  /// The handler ended: 204 if nothing was sent.
  static void finish_default(req& r) { r.finish_default(); }
  /// The handler middleware hands over the handler, kept for the request actor's lifetime.
  static handler_base& keep_handler(req& r, std::unique_ptr<handler_base> h) {
    return r.keep_handler(std::move(h));
  }
  /// The handler kept by keep_handler, if any.
  static handler_base* handler(const req& r) { return r.handler(); }
  /// Whether the handler is a loop handler still waiting for messages.
  static void set_looping(req& r, bool v) { r.set_looping(v); }
  static bool looping(const req& r) { return r.looping(); }
  /// The route's push policy (push_policy_key in the env), over the listener's.
  static void set_push_policy(req& r, push_policy p) { r.set_push_policy(p); }
  /// The end of an actor turn: the early hints gathered in it go out as one 103.
  static void flush_hints(req& r) { r.flush_hints(); }
};

}  // namespace rodeo
