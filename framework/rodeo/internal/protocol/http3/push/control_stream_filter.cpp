#include "rodeo/internal/protocol/http3/push/control_stream_filter.hpp"

#include <algorithm>

namespace rodeo::http3::push {

namespace {

void append(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

}  // namespace

std::size_t control_stream_filter::held() const {
  switch (mode_) {
    case mode::stream_type:
      return stream_type_.size();
    case mode::frame_header:
      return header_.raw().size();
    case mode::id_payload:
      return header_.raw().size() + id_.size();
    default:
      return 0;
  }
}

void control_stream_filter::fail(result& r, h3_error e) {
  mode_ = mode::failed;
  error_ = e;
  r.error = e;
}

bool control_stream_filter::check_push_id(result& r, std::uint64_t id) {
  // §7.2.3 (CANCEL_PUSH), RFC 9218 §7.2 (PRIORITY_UPDATE): a push ID the client never allowed.
  if (!max_push_id_ || id > *max_push_id_) {
    fail(r, h3_error::id_error);
    return false;
  }
  return true;
}

void control_stream_filter::end_id_frame(result& r, std::vector<std::uint8_t>& out) {
  std::uint64_t id = id_.value();
  if (header_.type() == frame_type::max_push_id) {
    // §7.2.7: a MAX_PUSH_ID lower than a previous one is H3_ID_ERROR.
    if (max_push_id_ && id < *max_push_id_) return fail(r, h3_error::id_error);
    max_push_id_ = id;
    r.events.push_back({control_event::kind::max_push_id, id});
    // Passed on as it came: nghttp3 accepts a non-decreasing MAX_PUSH_ID.
    append(out, header_.raw());
    append(out, id_.raw());
  } else {
    if (!check_push_id(r, id)) return;
    r.events.push_back({control_event::kind::cancel_push, id});
    r.removed += header_.raw().size() + id_.size();
  }
  header_.reset();
  id_.reset();
  mode_ = mode::frame_header;
}

control_stream_filter::result control_stream_filter::feed(std::span<const std::uint8_t> in,
                                                          std::vector<std::uint8_t>& out) {
  result r;
  while (!in.empty() && mode_ != mode::failed) {
    switch (mode_) {
      case mode::stream_type: {
        in = in.subspan(stream_type_.feed(in));
        if (!stream_type_.done()) break;
        // The type's bytes go on to nghttp3 as they came (they may have arrived split).
        append(out, stream_type_.raw());
        std::uint64_t t = stream_type_.value();
        mode_ = t == stream_type::control ? mode::frame_header : mode::transparent;
        break;
      }
      case mode::transparent:
        append(out, in);
        in = {};
        break;
      case mode::frame_header: {
        in = in.subspan(header_.feed(in));
        if (!header_.done()) break;
        std::uint64_t type = header_.type();
        left_ = header_.length();
        // §6.2.1: the first frame of a control stream is SETTINGS, checked here because the
        // filter may take the first frame out before nghttp3 could see it.
        if (!seen_settings_ && type != frame_type::settings) {
          fail(r, h3_error::missing_settings);
          break;
        }
        seen_settings_ = true;
        if (type == frame_type::max_push_id || type == frame_type::cancel_push) {
          // §7.2.3, §7.2.7: the payload is exactly one push ID varint.
          if (left_ < 1 || left_ > 8) {
            fail(r, h3_error::frame_error);
            break;
          }
          mode_ = mode::id_payload;
        } else if (type == frame_type::priority_update_push) {
          r.removed += header_.raw().size();
          if (left_ < 1) {
            fail(r, h3_error::frame_error);
            break;
          }
          mode_ = mode::prio_payload;
        } else {
          append(out, header_.raw());
          header_.reset();
          mode_ = left_ == 0 ? mode::frame_header : mode::pass_payload;
        }
        break;
      }
      case mode::pass_payload:
        append(out, take_payload(in, left_));
        if (left_ == 0) mode_ = mode::frame_header;
        break;
      case mode::id_payload:
        feed_id(in);
        if (id_.done() && left_ != 0) {
          fail(r, h3_error::frame_error);  // §7.1: payload longer than its field
        } else if (id_.done()) {
          end_id_frame(r, out);
        } else if (left_ == 0) {
          fail(r, h3_error::frame_error);  // §7.1: the field runs past the payload
        }
        break;
      case mode::prio_payload:
        r.removed += feed_id(in);
        if (id_.done()) {
          if (!check_push_id(r, id_.value())) break;
          r.events.push_back({control_event::kind::priority_push, id_.value()});
          id_.reset();
          header_.reset();
          mode_ = left_ == 0 ? mode::frame_header : mode::drop_payload;
        } else if (left_ == 0) {
          fail(r, h3_error::frame_error);
        }
        break;
      case mode::drop_payload:
        r.removed += take_payload(in, left_).size();
        if (left_ == 0) mode_ = mode::frame_header;
        break;
      case mode::failed:
        break;
    }
  }
  return r;
}

std::size_t control_stream_filter::feed_id(std::span<const std::uint8_t>& in) {
  // The push ID may not run past the payload (§7.1): the reader sees the payload's bytes only.
  auto payload = in.first(static_cast<std::size_t>(std::min<std::uint64_t>(left_, in.size())));
  std::size_t n = id_.feed(payload);
  in = in.subspan(n);
  left_ -= n;
  return n;
}

}  // namespace rodeo::http3::push
