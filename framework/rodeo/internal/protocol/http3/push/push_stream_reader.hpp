#pragma once
/// \file
/// The client's reader of server-initiated unidirectional streams (RFC 9114 §6.2), for push
/// streams (§4.6, §6.2.2): `0x01 push_id HEADERS DATA* [HEADERS]` then FIN.
///
/// Feed each server-initiated unidirectional stream from its first byte. When its type is not
/// 0x01 (control, QPACK encoder or decoder, reserved types) the reader passes every byte on to
/// `out` unchanged, type included, for nghttp3 (which fails the connection on a push stream,
/// H3_STREAM_CREATION_ERROR, so it must never see one). A push stream is read here entirely:
/// its push ID (above the client's MAX_PUSH_ID: H3_ID_ERROR), the response's field section,
/// body pieces and trailers, as events. Frames not allowed on a push stream are
/// H3_FRAME_UNEXPECTED (§7.2: CANCEL_PUSH, SETTINGS, PUSH_PROMISE, GOAWAY, MAX_PUSH_ID; DATA
/// before HEADERS, §4.1); unknown and GREASE frames are skipped (§9). Every byte of a push
/// stream is consumed here, so all of it is flow-control credit for the caller to return.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rodeo/internal/protocol/http3/push/field.hpp"
#include "rodeo/internal/protocol/http3/push/field_decoder.hpp"
#include "rodeo/internal/protocol/http3/push/frame.hpp"
#include "rodeo/internal/protocol/http3/push/varint.hpp"

namespace rodeo::http3::push {

struct push_stream_event {
  enum class kind {
    push_id,   ///< the stream's push ID is known (`push_id`)
    headers,   ///< the pushed response's fields (`fields`)
    data,      ///< a piece of its body (`data`)
    trailers,  ///< its trailers (`fields`)
    end,       ///< FIN after a complete response
  };
  kind what;
  std::uint64_t push_id = 0;
  std::vector<field> fields{};
  std::string data{};
};

class push_stream_reader {
 public:
  struct result {
    std::vector<push_stream_event> events;
    std::optional<h3_error> error;  ///< a connection error
  };

  /// `decoder` must outlive the reader. `max_field_section`: the largest HEADERS payload held.
  push_stream_reader(field_decoder& decoder, std::optional<std::uint64_t> max_push_id,
                     std::size_t max_field_section = 64 * 1024);

  /// Reads `in` (`fin`: the stream ends after it). Bytes of a stream that is not a push
  /// stream are appended to `out`.
  result feed(std::span<const std::uint8_t> in, bool fin, std::vector<std::uint8_t>& out);

  /// Known once the type was read: true for a push stream.
  std::optional<bool> is_push() const;
  std::optional<std::uint64_t> push_id() const;

 private:
  enum class mode {
    stream_type,
    transparent,
    push_id,
    frame_header,
    data_payload,
    headers_payload,
    skip_payload,
    done,
    failed
  };
  void fail(result& r, h3_error e);
  void end_headers(result& r);

  field_decoder& decoder_;
  std::optional<std::uint64_t> max_push_id_;
  std::size_t max_field_section_;
  mode mode_ = mode::stream_type;
  varint_reader varint_;
  std::optional<std::uint64_t> push_id_;
  frame_header_reader header_;
  std::uint64_t left_ = 0;
  std::vector<std::uint8_t> payload_;
  bool seen_headers_ = false;
  bool seen_trailers_ = false;
};

}  // namespace rodeo::http3::push
