#pragma once
/// \file
/// WebSocket handlers, after Cowboy's cowboy_websocket: the request actor becomes the
/// socket's actor.
///
///     class echo_h : public rodeo::websocket_handler {
///      public:
///       rodeo::handler_result init(rodeo::req& r) override { return upgrade(r, {.compress = true}); }
///       rodeo::ws::commands websocket_handle(const rodeo::ws::frame& f) override {
///         if (f.type == rodeo::ws::opcode::text) return {rodeo::ws::text(f.payload)};
///         return {};
///       }
///     };
///
/// - `init(req)` runs like a plain handler's (after the middlewares and the router) and
///   decides: `return upgrade(r, options)` checks the handshake (RFC 6455 §4.2 over HTTP/1.1,
///   RFC 8441 over HTTP/2), answers 101 (HTTP/1.1) or 200 (HTTP/2), or 400/426 when the
///   request cannot be upgraded; or it replies like any handler and returns `ok`.
/// - `websocket_init()` runs once upgraded; `websocket_handle(frame)` for every message the
///   client sends (whole: fragments reassembled, text validated, deflate undone; pings were
///   already answered); `websocket_info(msg)` for every message other CAF actors send the
///   request actor (`self()`: hand it to a chat room). Each returns commands: frames to send
///   and/or a `ws::close`.
/// - `terminate(ws::end)` runs once, last, however the WebSocket ended.
///
/// Back-pressure: the handler's frames leave through the stream's body (`req::stream_body`).
/// While the client reads slower than they are produced, `websocket_info` messages wait in
/// the actor (they are the ones that make more output), and the connection stops reading
/// the client once its output is full.

#include <caf/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "rodeo/handler.hpp"
#include "rodeo/websocket/frame.hpp"
#include "rodeo/websocket/options.hpp"

namespace rodeo {

namespace ws {

class session;

/// How a WebSocket ended; passed to `websocket_handler::terminate`.
struct end {
  enum class reason {
    normal,          ///< the handler closed and the client answered (or did not, in time)
    remote,          ///< the client closed (`code`: its close code, 1005 if none)
    timeout,         ///< idle for `idle_timeout`: closed with 1000
    protocol_error,  ///< the client broke RFC 6455/7692: closed with `code` (1002, 1007, 1009)
    closed,          ///< the connection ended without a close handshake (1006)
    crash,           ///< a callback threw: closed with 1011
    shutdown,        ///< the listener stopped: closed with 1001
  };
  reason why = reason::normal;
  /// The close code sent or received, as `why` says.
  std::uint16_t code = close_code::normal;
};

std::string_view to_string(end::reason r);

}  // namespace ws

class websocket_handler : public handler_base {
 public:
  websocket_handler();
  ~websocket_handler() override;

  /// The default upgrades with default options.
  handler_result init(req& r) override { return upgrade(r); }

  /// Once upgraded: the first frames to send (a greeting, a subscription to a room).
  virtual ws::commands websocket_init() { return {}; }
  /// A message from the client.
  virtual ws::commands websocket_handle(const ws::frame& f) {
    (void)f;
    return {};
  }
  /// A message another actor sent the request actor.
  virtual ws::commands websocket_info(const caf::message& msg) {
    (void)msg;
    return {};
  }
  /// Runs last, once, if the request was upgraded.
  virtual void terminate(const ws::end& why) { (void)why; }

  // handler_base, done here: the loop-handler plumbing carries the WebSocket.
  handler_result info(const caf::message& msg, req& r) final;
  std::chrono::milliseconds loop_timeout() const final;
  void timeout(req& r) final;
  void on_shutdown(req& r) final;
  void terminate(terminate_reason reason, req& r) final;

 protected:
  /// Upgrades if the request is a valid WebSocket handshake (see the file comment); returns
  /// what `init` must return.
  handler_result upgrade(req& r, ws::options opts = {});
  /// The request actor: what other actors send it reaches `websocket_info`.
  caf::event_based_actor* self() const;
  /// The subprotocol selected from `sec-websocket-protocol` (ws::options::protocols).
  const std::string& protocol() const;
  /// True when permessage-deflate was negotiated.
  bool compressed() const;

 private:
  void on_bytes(std::string_view data);
  template <class F>
  void callback(F&& f);
  void run(ws::commands cmds);
  void flush();
  void finish(ws::end why);

  struct state;
  std::unique_ptr<state> st_;
};

}  // namespace rodeo
