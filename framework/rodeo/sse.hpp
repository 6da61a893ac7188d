#pragma once
/// \file
/// Server-sent events (HTML Living Standard §9.2, `text/event-stream`), as Cowboy's
/// cowboy_req:stream_events: the handler gives events, Rodeo frames them.
///
///     rodeo::stream_events(r, {.id = "7", .event = "tick", .data = "line 1\nline 2"});
///
/// sends, after starting the stream if the handler did not:
///
///     id: 7
///     event: tick
///     data: line 1
///     data: line 2
///

#include <chrono>
#include <optional>
#include <span>
#include <string>

namespace rodeo {

class req;

/// One event. Absent fields are not sent; at least one must be present.
struct sse_event {
  /// `id:`, which a reconnecting EventSource sends back as `last-event-id`. No CR, LF or NUL.
  std::optional<std::string> id;
  /// `event:`, the event type (an EventSource listener's name). No CR or LF.
  std::optional<std::string> event;
  /// `data:`, split into one `data:` line per line (at LF, CRLF or CR).
  std::optional<std::string> data;
  /// `retry:`, the client's reconnection delay.
  std::optional<std::chrono::milliseconds> retry;
  /// `:` lines, which clients ignore (a keep-alive through idle proxies). Split as `data`.
  std::optional<std::string> comment;
};

/// One event's text, its blank line included. Throws usage_error for an empty event, a CR or
/// LF in `id` or `event` (or a NUL in `id`), or a negative `retry`.
std::string format_event(const sse_event& e);

/// Sends `events` as a piece of the response body; `fin` ends the stream. If the response has
/// not started, starts it first: 200 with `content-type: text/event-stream` and
/// `cache-control: no-cache` (an intermediary must not replay old events). Throws
/// usage_error as `format_event` (then nothing is sent), or if the handler already sent a
/// complete reply. Several events: a `std::vector<sse_event>` (a span, so that a braced
/// `{.id = ..., .data = ...}` always means the one-event form).
void stream_events(req& r, std::span<const sse_event> events, bool fin = false);

/// As above, for one event.
void stream_events(req& r, const sse_event& event, bool fin = false);

}  // namespace rodeo
