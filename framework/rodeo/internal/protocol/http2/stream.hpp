#pragma once
/// \file
/// Per-stream state of the HTTP/2 engine: the request being assembled, what the connection
/// was told, and the response body buffer the nghttp2 data provider reads from.
/// Private to the engine; touched only on the connection's thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/headers.hpp"
#include "rodeo/internal/protocol/body_queue.hpp"
#include "rodeo/internal/protocol/request_head_builder.hpp"
#include "rodeo/response_state.hpp"

namespace rodeo::http2::detail {

/// A pushed response the engine holds until its parent's response is on the wire.
struct held_response {
  int status = 0;
  headers fields;
  std::optional<std::uint64_t> content_length;
};

/// The request (client to server) is assembled in the base: `head`, `head_request`.
struct stream : rodeo::detail::request_head_builder {
  // --- request (client to server) ---
  std::size_t header_bytes = 0;   ///< RFC 9113 §6.5.2 size of the request header block
  bool header_overflow = false;   ///< above the limit: the stream is reset
  std::size_t trailer_bytes = 0;  ///< the same count for the trailers block
  std::uint64_t body_bytes = 0;   ///< DATA payload received
  bool tunnel = false;            ///< extended CONNECT (RFC 8441): no max_body
  std::string body_tail;          ///< data of a DATA frame with END_STREAM, not yet given

  // --- what the connection knows ---
  bool reported = false;  ///< the connection knows the stream (on_request, push, upgrade)
  bool detached = false;  ///< the connection was already told it ended: no more events
  bool rejected = false;  ///< the engine answered or reset it itself; never reported

  // --- response (server to client) ---
  // `response` is how far the commands went (done: the body or trailers end after `out`);
  // `submitted` and `response_complete` are how far nghttp2 and the transport got, which
  // lags behind while a pushed response is held or flow control keeps the body queued.
  response_state response = response_state::idle;  ///< held responses included
  bool submitted = false;          ///< the final response HEADERS were submitted to nghttp2
  bool response_complete = false;  ///< END_STREAM was handed to the transport
  bool no_body = false;            ///< HEAD, 204, 304: body bytes are dropped
  bool deferred = false;           ///< the data provider returned NGHTTP2_ERR_DEFERRED
  /// Response body not yet read by the data provider; a shared piece is referenced by the
  /// DATA frames (send_body), not copied.
  body_queue out;
  std::optional<headers> trailers;

  // --- push (RFC 9113 §8.4) ---
  stream_id parent = 0;               ///< pushed streams: the stream that promised it
  std::vector<stream_id> children;    ///< promised streams waiting for this response
  bool pushes_released = false;       ///< this response's first DATA (or end) was sent
  bool pushes_early = false;          ///< released while this response had nothing to send
  std::optional<held_response> held;  ///< pushed response waiting for the parent

  /// Adds one request field (pseudo-headers included) as nghttp2 validated it. Counts the
  /// block size as RFC 9113 §6.5.2 does (name + value + 32) and stops storing once it passes
  /// `limit` (header_overflow: the engine then resets the stream).
  void add_field(std::string_view name, std::string_view value, std::size_t limit);

  /// Completes the request head: the authority falls back to `host` (RFC 9113 §8.3.1), the
  /// scheme (absent on CONNECT) to the transport's.
  void finish_head(bool tls, bool end_stream);

  /// Moves `response` by `e` if the response state takes it (RFC 9113 §8.1 order); false for a
  /// command to drop.
  bool take(response_event e);

  /// Response body bytes not yet read by the data provider.
  std::size_t queued() const { return out.size(); }
  /// Queued bytes the next DATA frame can take at once: the rest of the first piece.
  std::size_t front_size() const { return out.front().size(); }
  /// The first `n` queued bytes (n <= front_size()).
  std::string_view front(std::size_t n) const { return out.front().substr(0, n); }
  /// Queues body bytes after those queued.
  void queue(rodeo::body_bytes data) { out.push(std::move(data)); }
  /// Drops every queued byte.
  void drop_queued() { out.clear(); }
  /// Forgets the first `n` queued bytes (n <= queued()).
  void consume(std::size_t n);
};

}  // namespace rodeo::http2::detail
