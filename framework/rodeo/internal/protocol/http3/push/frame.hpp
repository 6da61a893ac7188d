#pragma once
/// \file
/// HTTP/3 frame and stream types, error codes (RFC 9114 §6.2, §7.2, §8.1; RFC 9218 §7.2) and an
/// incremental reader of frame headers: `type` varint, `length` varint (§7.1). A header is at
/// most 16 bytes and may arrive split anywhere across reads.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "rodeo/internal/protocol/http3/push/varint.hpp"

namespace rodeo::http3::push {

/// Frame types (RFC 9114 §7.2, RFC 9218 §7.2).
namespace frame_type {
inline constexpr std::uint64_t data = 0x00;
inline constexpr std::uint64_t headers = 0x01;
inline constexpr std::uint64_t cancel_push = 0x03;
inline constexpr std::uint64_t settings = 0x04;
inline constexpr std::uint64_t push_promise = 0x05;
inline constexpr std::uint64_t goaway = 0x07;
inline constexpr std::uint64_t max_push_id = 0x0d;
inline constexpr std::uint64_t priority_update_request = 0xf0700;
inline constexpr std::uint64_t priority_update_push = 0xf0701;
}  // namespace frame_type

/// Unidirectional stream types (RFC 9114 §6.2).
namespace stream_type {
inline constexpr std::uint64_t control = 0x00;
inline constexpr std::uint64_t push = 0x01;
}  // namespace stream_type

/// HTTP/3 error codes (RFC 9114 §8.1) the push layer reports.
enum class h3_error : std::uint64_t {
  none = 0x0100,  ///< H3_NO_ERROR
  general_protocol_error = 0x0101,
  internal_error = 0x0102,
  stream_creation_error = 0x0103,
  closed_critical_stream = 0x0104,
  frame_unexpected = 0x0105,
  frame_error = 0x0106,
  excessive_load = 0x0107,
  id_error = 0x0108,
  missing_settings = 0x010a,
  message_error = 0x010e,
  qpack_decompression_failed = 0x0200,  ///< RFC 9204 §6
};

std::string_view to_string(h3_error e);

/// True for the reserved frame types of §7.2.8 (0x1f * N + 0x21): GREASE, to be ignored.
inline bool is_grease(std::uint64_t type) { return type >= 0x21 && (type - 0x21) % 0x1f == 0; }

/// Takes off the front of `in` the bytes of a frame payload that has `left` bytes still to come
/// (§7.1: the length says where the next frame begins) and lowers `left` by as many.
inline std::span<const std::uint8_t> take_payload(std::span<const std::uint8_t>& in,
                                                  std::uint64_t& left) {
  auto part = in.first(static_cast<std::size_t>(std::min<std::uint64_t>(left, in.size())));
  in = in.subspan(part.size());
  left -= part.size();
  return part;
}

/// Appends a frame header (type, payload length).
void append_frame_header(std::string& out, std::uint64_t type, std::uint64_t length);

/// Reads one frame header incrementally, keeping its raw bytes (so that a frame passed on
/// unchanged can be written out again byte for byte).
class frame_header_reader {
 public:
  /// Consumes bytes of `in` up to the end of the header; returns how many it took.
  std::size_t feed(std::span<const std::uint8_t> in);
  bool done() const { return type_.done() && length_.done(); }
  std::uint64_t type() const { return type_.value(); }
  std::uint64_t length() const { return length_.value(); }
  /// The header bytes read so far (all of them once `done()`).
  std::span<const std::uint8_t> raw() const { return {raw_, raw_size_}; }
  void reset() { *this = frame_header_reader{}; }

 private:
  varint_reader type_;
  varint_reader length_;
  std::uint8_t raw_[16] = {};
  std::size_t raw_size_ = 0;
};

/// Follows a stream of whole HTTP/3 frames as it is written and says whether the bytes so far
/// end on a frame boundary: only there may another frame be put in.
class frame_boundary {
 public:
  /// `leading_bytes`: bytes before the first frame (a unidirectional stream's type).
  explicit frame_boundary(std::uint64_t leading_bytes = 0) : left_(leading_bytes) {}
  void feed(std::span<const std::uint8_t> bytes);
  bool at_boundary() const { return left_ == 0 && header_.raw().empty(); }

 private:
  frame_header_reader header_;
  std::uint64_t left_ = 0;
};

}  // namespace rodeo::http3::push
