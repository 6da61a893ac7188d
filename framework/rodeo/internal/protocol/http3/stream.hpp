#pragma once
/// \file
/// Per-stream state of the HTTP/3 engine: the request being assembled and the response body
/// chunks nghttp3 reads from, kept until the peer acknowledges them (nghttp3 writes from
/// the application's memory: RFC 9000 may need to send them again).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rodeo/body_bytes.hpp"
#include "rodeo/headers.hpp"
#include "rodeo/internal/protocol/http3/push/offset_map.hpp"
#include "rodeo/internal/protocol/request_head_builder.hpp"
#include "rodeo/response_state.hpp"

namespace rodeo::http3::detail {

/// The request is assembled in the base (`add`, `finish`): `head`, `head_request`.
struct stream : rodeo::detail::request_head_builder {
  // --- request ---
  std::size_t header_bytes = 0;  ///< name + value + 32 per field (RFC 9114 §4.2.2)
  std::size_t trailer_bytes = 0;
  std::uint64_t body_bytes = 0;
  bool in_trailers = false;
  bool malformed = false;      ///< H3_MESSAGE_ERROR: reset, never reported
  bool request_ended = false;  ///< the request's last byte was read
  // --- what the connection knows ---
  bool reported = false;  ///< on_request was called
  bool detached = false;  ///< an end event was already given
  bool rejected = false;  ///< the engine answered or reset it itself
  // --- response ---
  response_state response = response_state::idle;
  bool submitted = false;    ///< the final response was submitted to nghttp3
  bool no_body = false;      ///< HEAD, 204, 304
  bool eof_handed = false;   ///< nghttp3 has the response's end
  bool write_reset = false;  ///< the write side was reset (by either peer)
  bool deferred = false;     ///< read_data said WOULDBLOCK
  std::optional<headers> trailers;
  std::deque<rodeo::body_bytes> chunks;  ///< body bytes not yet acknowledged, in order (shared
                                         ///< bodies are handed to QUIC without a copy)
  std::size_t handed = 0;                ///< chunks given to nghttp3
  std::size_t front_acked = 0;           ///< bytes of chunks.front() acknowledged
  std::size_t unsent = 0;                ///< bytes of chunks not given to nghttp3
  bool blocked = false;                  ///< flow control holds the stream (promise bytes wait too)
  bool headers_out = false;   ///< nghttp3 wrote bytes after the final response was submitted
  std::uint64_t h3_sent = 0;  ///< nghttp3's bytes put into packets
  // --- push: PUSH_PROMISE frames among nghttp3's bytes (engine::prepend) ---
  /// Made at the first promise (while nghttp3 wrote nothing here), or when the request
  /// arrives on a connection that may push: it must follow nghttp3's frames from byte 0.
  std::unique_ptr<push::offset_map> map;

  bool take(response_event e);
  void append(rodeo::body_bytes data);
  /// Drops `n` acknowledged bytes from the front of `chunks`.
  void ack(std::size_t n);
};

}  // namespace rodeo::http3::detail
