#pragma once
/// \file
/// `GET /events[?count=N]`: a clock as Server-Sent Events (HTML Living Standard §9.2,
/// `text/event-stream`), the demo's loop handler. One `tick` event at once, then one at
/// every wall-clock second; after N events (if given) the stream ends. A reconnecting
/// EventSource's `last-event-id` continues the numbering.
///
///     id: 7
///     event: tick
///     data: {"n":7,"utc":"2025-01-31T12:00:07Z","protocol":"HTTP/2"}
///
/// The request actor stays alive between ticks (handler_result::loop) and sends itself the
/// next tick with a delayed message; a client that goes away ends it (terminate(reset)). On a
/// graceful stop a last `bye` event goes out and the stream ends cleanly
/// (terminate(shutdown)).

#include <cstdint>
#include <optional>
#include <string>

#include "rodeo/handler.hpp"
#include "rodeo/sse.hpp"

namespace demo {

class clock_h final : public rodeo::handler_base {
 public:
  rodeo::handler_result init(rodeo::req& r) override;
  rodeo::handler_result info(const caf::message& msg, rodeo::req& r) override;
  void on_shutdown(rodeo::req& r) override;

  /// One event: ids and data as in the file comment (rodeo::stream_events frames it).
  static rodeo::sse_event event(std::uint64_t n, std::int64_t unix_seconds,
                                const std::string& protocol);

 private:
  void tick(rodeo::req& r);

  std::uint64_t next_id_ = 1;
  std::optional<std::uint64_t> remaining_;  // events left to send, if bounded
};

}  // namespace demo
