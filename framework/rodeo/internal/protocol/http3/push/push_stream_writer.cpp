#include "rodeo/internal/protocol/http3/push/push_stream_writer.hpp"

#include <stdexcept>

#include "rodeo/internal/protocol/http3/push/frame.hpp"
#include "rodeo/internal/protocol/http3/push/frame_writer.hpp"
#include "rodeo/internal/protocol/http3/push/varint.hpp"

namespace rodeo::http3::push {

push_stream_writer::push_stream_writer(std::uint64_t push_id) : push_id_(push_id) {
  std::string prefix;
  append_varint(prefix, stream_type::push);
  append_varint(prefix, push_id);
  out_.push(std::move(prefix));
}

void push_stream_writer::headers(std::string_view field_section) {
  if (state_ != state::headers) throw std::logic_error("push stream: HEADERS already written");
  out_.push(headers_frame(field_section));
  state_ = state::body;
}

void push_stream_writer::data(std::string piece) {
  if (state_ != state::body)
    throw std::logic_error("push stream: DATA before HEADERS or after end");
  if (piece.empty()) return;
  out_.push(data_frame_header(piece.size()));
  out_.push(std::move(piece));
}

void push_stream_writer::trailers(std::string_view field_section) {
  if (state_ != state::body)
    throw std::logic_error("push stream: trailers before HEADERS or after end");
  out_.push(headers_frame(field_section));
  state_ = state::ended;
}

void push_stream_writer::end() {
  if (state_ == state::headers) throw std::logic_error("push stream: end before HEADERS");
  state_ = state::ended;
}

}  // namespace rodeo::http3::push
