#include "rodeo/internal/protocol/http3/stream.hpp"

#include <charconv>

namespace rodeo::http3::detail {

void stream::add_field(std::string_view name, std::string_view value) {
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
    }
    return;
  }
  if (name == "cookie") {
    // RFC 9114 §4.2.1: cookie crumbs are joined with "; " before going to an HTTP/1.1 or
    // generic application, as in HTTP/2.
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
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc{} && end == value.data() + value.size()) head.content_length = n;
  }
  head.fields.emplace_back(name, value);
}

void stream::finish_head(bool end_stream) {
  head.version = "HTTP/3";
  if (head.authority.empty()) head.authority = host;
  if (head.scheme.empty()) head.scheme = "https";
  head.has_body = !end_stream;
}

bool stream::take(response_event e) {
  auto step = next_response_state(response, e);
  if (step.effect != response_effect::send) return false;
  response = step.next;
  return true;
}

void stream::append(std::string data) {
  if (data.empty()) return;
  unsent += data.size();
  chunks.push_back(std::move(data));
}

void stream::ack(std::size_t n) {
  while (n > 0 && !chunks.empty() && handed > 0) {
    auto left = chunks.front().size() - front_acked;
    if (n < left) {
      front_acked += n;
      return;
    }
    n -= left;
    chunks.pop_front();
    --handed;
    front_acked = 0;
  }
}

}  // namespace rodeo::http3::detail
