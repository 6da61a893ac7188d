#include "rodeo/internal/protocol/http3/push/frame_writer.hpp"

#include "rodeo/internal/protocol/http3/push/frame.hpp"
#include "rodeo/internal/protocol/http3/push/varint.hpp"

namespace rodeo::http3::push {

namespace {

std::string id_frame(std::uint64_t type, std::uint64_t push_id) {
  std::string out;
  append_frame_header(out, type, varint_size(push_id));
  append_varint(out, push_id);
  return out;
}

}  // namespace

std::string push_promise_frame(std::uint64_t push_id, std::string_view field_section) {
  std::string out;
  append_frame_header(out, frame_type::push_promise, varint_size(push_id) + field_section.size());
  append_varint(out, push_id);
  out.append(field_section);
  return out;
}

std::string cancel_push_frame(std::uint64_t push_id) {
  return id_frame(frame_type::cancel_push, push_id);
}

std::string max_push_id_frame(std::uint64_t push_id) {
  return id_frame(frame_type::max_push_id, push_id);
}

std::string headers_frame(std::string_view field_section) {
  std::string out;
  append_frame_header(out, frame_type::headers, field_section.size());
  out.append(field_section);
  return out;
}

std::string data_frame_header(std::uint64_t length) {
  std::string out;
  append_frame_header(out, frame_type::data, length);
  return out;
}

}  // namespace rodeo::http3::push
