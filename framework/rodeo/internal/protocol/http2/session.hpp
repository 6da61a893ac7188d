#pragma once
/// \file
/// The nghttp2 server session behind an HTTP/2 engine: its callbacks (which decode frames
/// and call the engine) and its options (the denial-of-service limits). Private to the engine.

#include <nghttp2/nghttp2.h>

#include "rodeo/internal/protocol/http2/engine.hpp"

namespace rodeo::http2::detail {

/// The engine's door for nghttp2: static callbacks that turn nghttp2 frames into calls on
/// the engine's private members.
struct session_access {
  /// A new server session driving `e` (its user data). Throws std::bad_alloc on failure.
  static nghttp2_session* make(engine& e, const options& opts);

  /// The data provider of response bodies: reads the stream's buffer in the engine.
  static nghttp2_data_provider body_provider();

  static int on_begin_frame(nghttp2_session*, const nghttp2_frame_hd* hd, void* user);
  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user);
  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name,
                       std::size_t namelen, const std::uint8_t* value, std::size_t valuelen,
                       std::uint8_t flags, void* user);
  static int on_invalid_header(nghttp2_session* session, const nghttp2_frame* frame,
                               const std::uint8_t* name, std::size_t namelen,
                               const std::uint8_t* value, std::size_t valuelen, std::uint8_t flags,
                               void* user);
  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user);
  static int on_data_chunk_recv(nghttp2_session*, std::uint8_t flags, std::int32_t stream_id,
                                const std::uint8_t* data, std::size_t len, void* user);
  static int on_frame_send(nghttp2_session*, const nghttp2_frame* frame, void* user);
  static int on_stream_close(nghttp2_session*, std::int32_t stream_id, std::uint32_t error_code,
                             void* user);
  /// NGHTTP2_DATA_FLAG_NO_COPY: writes a DATA frame (header and the stream's bytes).
  static int send_body(nghttp2_session*, nghttp2_frame* frame, const std::uint8_t* framehd,
                       std::size_t length, nghttp2_data_source* source, void* user);
  static ssize_t read_body(nghttp2_session*, std::int32_t stream_id, std::uint8_t* buf,
                           std::size_t length, std::uint32_t* data_flags,
                           nghttp2_data_source* source, void* user);
};

}  // namespace rodeo::http2::detail
