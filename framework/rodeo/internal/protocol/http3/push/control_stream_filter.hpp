#pragma once
/// \file
/// The server's reader of a client's unidirectional streams, before nghttp3 (RFC 9114 §6.2).
///
/// nghttp3 0.8 has no push: it stores a client's MAX_PUSH_ID where nothing can read it, fails
/// the connection on any CANCEL_PUSH (H3_FRAME_UNEXPECTED) and on a PRIORITY_UPDATE for a push
/// ID, and answers a lowered MAX_PUSH_ID with H3_FRAME_ERROR where RFC 9114 §7.2.7 says
/// H3_ID_ERROR. So the bytes of a client's control stream go through this filter first, and
/// nghttp3 gets what the filter passes on:
///   - MAX_PUSH_ID (§7.2.7) is learned, reported, and passed on unchanged; a value lower than
///     a previous one is H3_ID_ERROR.
///   - CANCEL_PUSH (§7.2.3) is taken out and reported; a push ID above the client's
///     MAX_PUSH_ID (or with none yet) is H3_ID_ERROR.
///   - PRIORITY_UPDATE for a push ID (RFC 9218 §7.2, type 0xF0701) is taken out and reported,
///     with the same push ID check.
///   - every other frame (SETTINGS, GOAWAY, PRIORITY_UPDATE for a request stream, GREASE and
///     unknown types, and frames not allowed on a control stream, which nghttp3 rejects) is
///     passed on byte for byte, its payload streamed without buffering.
/// Since a removed frame could be the first one, the filter itself enforces §6.2.1: the first
/// frame must be SETTINGS (H3_MISSING_SETTINGS).
///
/// The stream-type varint: feed every client-initiated unidirectional stream from its first
/// byte, type included. The filter reads the type and passes its bytes on (nghttp3 needs them
/// to classify the stream); a stream that is not a control stream (QPACK encoder or decoder,
/// reserved types) is then passed on unchanged, so the caller need not classify streams.
///
/// Flow control: the bytes taken out never reach nghttp3, so nghttp3 never counts them as
/// consumed. `feed` returns how many bytes it removed; the caller gives that credit back
/// itself (ngtcp2_conn_extend_max_stream_offset and ngtcp2_conn_extend_max_offset). At any
/// moment, bytes fed = bytes passed + bytes removed + `held()` (a frame header, stream type or
/// MAX_PUSH_ID payload still incomplete).
///
/// Sans-I/O: bytes in, bytes and events out. Errors are connection errors (§8): after one,
/// the filter takes nothing more.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rodeo/internal/protocol/http3/push/frame.hpp"
#include "rodeo/internal/protocol/http3/push/varint.hpp"

namespace rodeo::http3::push {

/// What the client said about pushes on its control stream.
struct control_event {
  enum class kind {
    max_push_id,    ///< MAX_PUSH_ID: pushes up to `push_id` are allowed
    cancel_push,    ///< CANCEL_PUSH: the client does not want push `push_id`
    priority_push,  ///< PRIORITY_UPDATE for push `push_id` (its field value is dropped)
  };
  kind what;
  std::uint64_t push_id;
  bool operator==(const control_event&) const = default;
};

class control_stream_filter {
 public:
  struct result {
    std::size_t removed = 0;  ///< bytes taken out by this call (flow-control credit to return)
    std::vector<control_event> events;
    std::optional<h3_error> error;  ///< a connection error: close with this code
  };

  /// Reads `in`; appends the bytes for nghttp3 to `out`.
  result feed(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out);

  /// The highest MAX_PUSH_ID the client sent; nullopt when it sent none (no push allowed).
  std::optional<std::uint64_t> max_push_id() const { return max_push_id_; }
  /// True once the stream type was read and is the control stream type (0x00).
  bool is_control() const { return mode_ != mode::stream_type && mode_ != mode::transparent; }
  /// Bytes read but not yet passed on or removed.
  std::size_t held() const;
  /// The connection error the filter stopped on, if any.
  std::optional<h3_error> error() const { return error_; }

 private:
  enum class mode {
    stream_type,   // reading the stream type varint
    transparent,   // not a control stream: everything passes
    frame_header,  // reading a frame header
    pass_payload,  // passing a frame's payload on
    id_payload,    // reading a MAX_PUSH_ID or CANCEL_PUSH payload (one varint)
    prio_payload,  // reading a PRIORITY_UPDATE(push)'s push ID, then dropping the rest
    drop_payload,  // dropping the rest of a removed frame's payload
    failed,
  };

  void fail(result& r, h3_error e);
  void end_id_frame(result& r, std::vector<std::uint8_t>& out);
  bool check_push_id(result& r, std::uint64_t id);
  /// Feeds the push ID reader from the current payload; returns the bytes it took off `in`.
  std::size_t feed_id(std::span<const std::uint8_t>& in);

  mode mode_ = mode::stream_type;
  varint_reader stream_type_;
  frame_header_reader header_;
  std::uint64_t left_ = 0;  // payload bytes of the current frame not read yet
  varint_reader id_;        // the push ID of an id_payload or prio_payload frame
  bool seen_settings_ = false;
  std::optional<std::uint64_t> max_push_id_;
  std::optional<h3_error> error_;
};

}  // namespace rodeo::http3::push
