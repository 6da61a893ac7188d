#include "rodeo/internal/protocol/request_head_builder.hpp"

#include "rodeo/http/lex.hpp"

namespace rodeo::detail {

void request_head_builder::add(std::string_view name, std::string_view value) {
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
      // RFC 8441 §4, RFC 9220 §3: an extended CONNECT (the library checked it goes with
      // CONNECT, :scheme and :path, and that the server allowed it).
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
    // nghttp2 and nghttp3 reject a content-length that is not a number (RFC 9113 §8.1.1,
    // RFC 9114 §4.1.2).
    if (auto n = http::detail::parse_u64(value)) head.content_length = n;
  }
  head.fields.emplace_back(name, value);
}

void request_head_builder::finish(std::string_view version, std::string_view default_scheme,
                                  bool end_stream) {
  head.version = version;
  if (head.authority.empty()) head.authority = host;
  if (head.scheme.empty()) head.scheme = default_scheme;
  head.has_body = !end_stream;
}

bool expects_continue(const request_head& head) {
  for (const auto& [name, value] : head.fields)
    if (name == "expect" && http::detail::iequals(value, "100-continue")) return true;
  return false;
}

}  // namespace rodeo::detail
