#include "rodeo/internal/protocol/http3/push/request_stream_filter.hpp"

namespace rodeo::http3::push {

request_stream_filter::request_stream_filter(field_decoder& decoder,
                                             std::optional<std::uint64_t> max_push_id,
                                             std::size_t max_promise_size)
    : decoder_(decoder), max_push_id_(max_push_id), max_promise_size_(max_promise_size) {}

std::size_t request_stream_filter::held() const {
  switch (mode_) {
    case mode::frame_header:
      return header_.raw().size();
    case mode::promise_payload:
      return header_.raw().size() + payload_.size();
    default:
      return 0;
  }
}

void request_stream_filter::fail(result& r, h3_error e) {
  mode_ = mode::failed;
  r.error = e;
}

void request_stream_filter::end_promise(result& r) {
  std::size_t used = 0;
  auto id = read_varint(payload_, used);
  if (!id) return fail(r, h3_error::frame_error);  // §7.1: the push ID runs past the payload
  // §7.2.5: a push ID above the client's MAX_PUSH_ID is H3_ID_ERROR.
  if (!max_push_id_ || *id > *max_push_id_) return fail(r, h3_error::id_error);
  auto fields = decoder_.decode(std::span<const std::uint8_t>(payload_).subspan(used));
  if (!fields) return fail(r, h3_error::qpack_decompression_failed);
  r.promises.push_back({*id, std::move(*fields)});
  r.removed += header_.raw().size() + payload_.size();
  header_.reset();
  payload_.clear();
  mode_ = mode::frame_header;
}

request_stream_filter::result request_stream_filter::feed(std::span<const std::uint8_t> in,
                                                          std::vector<std::uint8_t>& out) {
  result r;
  while (!in.empty() && mode_ != mode::failed) {
    switch (mode_) {
      case mode::frame_header: {
        in = in.subspan(header_.feed(in));
        if (!header_.done()) break;
        left_ = header_.length();
        if (header_.type() == frame_type::push_promise) {
          if (left_ < 1) {
            fail(r, h3_error::frame_error);
          } else if (left_ > max_promise_size_) {
            fail(r, h3_error::excessive_load);
          } else {
            payload_.reserve(static_cast<std::size_t>(left_));
            mode_ = mode::promise_payload;
          }
          break;
        }
        auto raw = header_.raw();
        out.insert(out.end(), raw.begin(), raw.end());
        header_.reset();
        mode_ = left_ == 0 ? mode::frame_header : mode::pass_payload;
        break;
      }
      case mode::pass_payload: {
        auto part = take_payload(in, left_);
        out.insert(out.end(), part.begin(), part.end());
        if (left_ == 0) mode_ = mode::frame_header;
        break;
      }
      case mode::promise_payload: {
        auto part = take_payload(in, left_);
        payload_.insert(payload_.end(), part.begin(), part.end());
        if (left_ == 0) end_promise(r);
        break;
      }
      case mode::failed:
        break;
    }
  }
  return r;
}

}  // namespace rodeo::http3::push
