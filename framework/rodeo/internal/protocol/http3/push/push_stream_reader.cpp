#include "rodeo/internal/protocol/http3/push/push_stream_reader.hpp"

namespace rodeo::http3::push {

push_stream_reader::push_stream_reader(field_decoder& decoder,
                                       std::optional<std::uint64_t> max_push_id,
                                       std::size_t max_field_section)
    : decoder_(decoder), max_push_id_(max_push_id), max_field_section_(max_field_section) {}

std::optional<bool> push_stream_reader::is_push() const {
  if (mode_ == mode::stream_type) return std::nullopt;
  return mode_ != mode::transparent;
}

std::optional<std::uint64_t> push_stream_reader::push_id() const { return push_id_; }

void push_stream_reader::fail(result& r, h3_error e) {
  mode_ = mode::failed;
  r.error = e;
}

void push_stream_reader::end_headers(result& r) {
  auto fields = decoder_.decode(payload_);
  payload_.clear();
  if (!fields) return fail(r, h3_error::qpack_decompression_failed);
  using k = push_stream_event::kind;
  r.events.push_back({seen_headers_ ? k::trailers : k::headers, *push_id_, std::move(*fields)});
  if (seen_headers_) seen_trailers_ = true;
  seen_headers_ = true;
  mode_ = mode::frame_header;
}

push_stream_reader::result push_stream_reader::feed(std::span<const std::uint8_t> in, bool fin,
                                                    std::vector<std::uint8_t>& out) {
  result r;
  using k = push_stream_event::kind;
  while (!in.empty() && mode_ != mode::failed) {
    switch (mode_) {
      case mode::stream_type:
        in = in.subspan(varint_.feed(in));
        if (!varint_.done()) break;
        if (varint_.value() == stream_type::push) {
          mode_ = mode::push_id;
        } else {
          auto raw = varint_.raw();
          out.insert(out.end(), raw.begin(), raw.end());
          mode_ = mode::transparent;
        }
        varint_.reset();
        break;
      case mode::transparent:
        out.insert(out.end(), in.begin(), in.end());
        in = {};
        break;
      case mode::push_id:
        in = in.subspan(varint_.feed(in));
        if (!varint_.done()) break;
        // §4.6: a push ID above the client's MAX_PUSH_ID is H3_ID_ERROR.
        if (!max_push_id_ || varint_.value() > *max_push_id_) {
          fail(r, h3_error::id_error);
          break;
        }
        push_id_ = varint_.value();
        r.events.push_back({k::push_id, *push_id_});
        mode_ = mode::frame_header;
        break;
      case mode::frame_header: {
        in = in.subspan(header_.feed(in));
        if (!header_.done()) break;
        std::uint64_t type = header_.type();
        left_ = header_.length();
        header_.reset();
        if (type == frame_type::headers) {
          if (seen_trailers_) {
            fail(r, h3_error::frame_unexpected);  // §4.1: nothing after the trailers
          } else if (left_ > max_field_section_) {
            fail(r, h3_error::excessive_load);
          } else {
            mode_ = mode::headers_payload;
            if (left_ == 0) end_headers(r);
          }
        } else if (type == frame_type::data) {
          // §4.1: DATA before HEADERS or after trailers makes the response malformed.
          if (!seen_headers_ || seen_trailers_) {
            fail(r, h3_error::frame_unexpected);
          } else {
            mode_ = left_ == 0 ? mode::frame_header : mode::data_payload;
          }
        } else if (type == frame_type::cancel_push || type == frame_type::settings ||
                   type == frame_type::push_promise || type == frame_type::goaway ||
                   type == frame_type::max_push_id || type == 0x02 || type == 0x06 ||
                   type == 0x08 || type == 0x09) {
          // §7.2: control-stream frames, and HTTP/2's reserved types (§7.2.8), are
          // H3_FRAME_UNEXPECTED on a push stream.
          fail(r, h3_error::frame_unexpected);
        } else {
          mode_ = left_ == 0 ? mode::frame_header : mode::skip_payload;
        }
        break;
      }
      case mode::data_payload: {
        auto part = take_payload(in, left_);
        r.events.push_back({k::data,
                            *push_id_,
                            {},
                            std::string(reinterpret_cast<const char*>(part.data()), part.size())});
        if (left_ == 0) mode_ = mode::frame_header;
        break;
      }
      case mode::headers_payload: {
        auto part = take_payload(in, left_);
        payload_.insert(payload_.end(), part.begin(), part.end());
        if (left_ == 0) end_headers(r);
        break;
      }
      case mode::skip_payload:
        take_payload(in, left_);
        if (left_ == 0) mode_ = mode::frame_header;
        break;
      case mode::done:
      case mode::failed:
        in = {};
        break;
    }
  }
  if (fin && !r.error && mode_ != mode::transparent && mode_ != mode::failed) {
    // §7.1: a stream that ends inside a frame is H3_FRAME_ERROR; §4.1: a response without
    // its HEADERS is malformed.
    if (mode_ != mode::frame_header || !header_.raw().empty()) {
      fail(r, h3_error::frame_error);
    } else if (!seen_headers_) {
      fail(r, h3_error::message_error);
    } else {
      r.events.push_back({k::end, *push_id_});
      mode_ = mode::done;
    }
  }
  return r;
}

}  // namespace rodeo::http3::push
