#include "rodeo/internal/protocol/http2/stream.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace rodeo::http2::detail {

void stream::add_field(std::string_view name, std::string_view value, std::size_t limit) {
  header_bytes += name.size() + value.size() + 32;
  if (header_bytes > limit) header_overflow = true;
  if (header_overflow) return;  // the engine fails the block: no more fields come

  if (!name.empty() && name.front() == ':') {
    if (name == ":method") {
      head.method = value;
      head_request = value == "HEAD";
    } else if (name == ":scheme") {
      head.scheme = value;
    } else if (name == ":authority") {
      head.authority = value;
    } else if (name == ":path") {
      auto q = value.find('?');
      head.path = value.substr(0, q);
      head.qs = q == std::string_view::npos ? std::string{} : std::string{value.substr(q + 1)};
    } else if (name == ":protocol") {
      // RFC 8441 §4: an extended CONNECT (nghttp2 checked it goes with CONNECT, :scheme and
      // :path, and that we sent SETTINGS_ENABLE_CONNECT_PROTOCOL).
      head.protocol = value;
    }
    return;
  }
  if (name == "cookie") {
    if (cookie_at) {
      auto& joined = head.fields[*cookie_at].second;
      joined += "; ";
      joined += value;
      return;
    }
    cookie_at = head.fields.size();
  } else if (name == "host") {
    host = value;
  } else if (name == "content-length") {
    // nghttp2 rejects a content-length that is not a number (RFC 9113 §8.1.1).
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc{} && end == value.data() + value.size()) head.content_length = n;
  }
  head.fields.emplace_back(name, value);
}

void stream::finish_head(bool tls, bool end_stream) {
  head.version = "HTTP/2";
  if (head.authority.empty()) head.authority = host;
  if (head.scheme.empty()) head.scheme = tls ? "https" : "http";
  head.has_body = !end_stream;
}

bool stream::take(response_event e) {
  auto step = next_response_state(response, e);
  if (step.effect != response_effect::send) return false;
  response = step.next;
  return true;
}

void stream::consume(std::size_t n) {
  out_off += n;
  if (out_off == out.size()) {
    out.clear();
    out_off = 0;
  } else if (out_off > 64 * 1024 && out_off > out.size() / 2) {
    // A long streamed body: drop what was read so the buffer does not grow without end.
    out.erase(0, out_off);
    out_off = 0;
  }
}

}  // namespace rodeo::http2::detail
