#include "rodeo/internal/protocol/http3/push/frame.hpp"

namespace rodeo::http3::push {

std::string_view to_string(h3_error e) {
  switch (e) {
    case h3_error::none:
      return "H3_NO_ERROR";
    case h3_error::general_protocol_error:
      return "H3_GENERAL_PROTOCOL_ERROR";
    case h3_error::internal_error:
      return "H3_INTERNAL_ERROR";
    case h3_error::stream_creation_error:
      return "H3_STREAM_CREATION_ERROR";
    case h3_error::closed_critical_stream:
      return "H3_CLOSED_CRITICAL_STREAM";
    case h3_error::frame_unexpected:
      return "H3_FRAME_UNEXPECTED";
    case h3_error::frame_error:
      return "H3_FRAME_ERROR";
    case h3_error::excessive_load:
      return "H3_EXCESSIVE_LOAD";
    case h3_error::id_error:
      return "H3_ID_ERROR";
    case h3_error::missing_settings:
      return "H3_MISSING_SETTINGS";
    case h3_error::message_error:
      return "H3_MESSAGE_ERROR";
    case h3_error::qpack_decompression_failed:
      return "QPACK_DECOMPRESSION_FAILED";
  }
  return "H3_UNKNOWN";
}

void append_frame_header(std::string& out, std::uint64_t type, std::uint64_t length) {
  append_varint(out, type);
  append_varint(out, length);
}

std::size_t frame_header_reader::feed(std::span<const std::uint8_t> in) {
  std::size_t used = 0;
  if (!type_.done()) used += type_.feed(in);
  if (type_.done() && !length_.done()) used += length_.feed(in.subspan(used));
  for (std::size_t i = 0; i < used; ++i) raw_[raw_size_++] = in[i];
  return used;
}

void frame_boundary::feed(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    if (left_ > 0) {
      take_payload(bytes, left_);
      continue;
    }
    bytes = bytes.subspan(header_.feed(bytes));
    if (header_.done()) {
      left_ = header_.length();
      header_.reset();
    }
  }
}

}  // namespace rodeo::http3::push
