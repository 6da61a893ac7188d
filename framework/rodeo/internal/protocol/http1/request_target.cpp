#include "rodeo/internal/protocol/http1/request_target.hpp"

#include "rodeo/internal/protocol/http1/field_syntax.hpp"

namespace rodeo::http1 {

namespace {

// Splits "path?query#fragment" into `t.path` and `t.qs`, dropping the fragment.
void split_path(std::string_view rest, request_target& t) {
  rest = rest.substr(0, rest.find('#'));
  auto q = rest.find('?');
  t.path = rest.substr(0, q);
  if (q != std::string_view::npos) t.qs = rest.substr(q + 1);
}

std::string lowercase(std::string_view s) {
  std::string r{s};
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

}  // namespace

std::optional<request_target> parse_request_target(std::string_view target,
                                                   std::string_view method) {
  request_target t;
  if (target.starts_with('/')) {
    split_path(target, t);
    return t;
  }
  if (target == "*") {
    // RFC 9112 §3.2.4: the asterisk-form is only used for a server-wide OPTIONS request.
    if (method != "OPTIONS") return std::nullopt;
    t.path = "*";
    return t;
  }
  // RFC 9112 §3.2.2: the absolute-form; its authority overrides Host.
  auto sep = target.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  auto scheme = target.substr(0, sep);
  if (!iequals(scheme, "http") && !iequals(scheme, "https")) return std::nullopt;
  auto rest = target.substr(sep + 3);
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  // RFC 9110 §4.2.1: an http(s) URI with an empty host is invalid; userinfo is refused by
  // the host syntax ('@' is not allowed), as RFC 9110 §4.2.4 deprecates it.
  if (authority.empty() || !is_valid_host(authority)) return std::nullopt;
  t.scheme = lowercase(scheme);
  t.authority = authority;
  split_path(end == std::string_view::npos ? std::string_view{} : rest.substr(end), t);
  if (t.path.empty()) t.path = "/";
  return t;
}

bool is_valid_host(std::string_view host) noexcept {
  // uri-host is an IP-literal in brackets, an IPv4 address or a reg-name (unreserved,
  // pct-encoded, sub-delims), then an optional ":" port (RFC 3986 §3.2.2).
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ok) {
      switch (c) {
        case '-':
        case '.':
        case '_':
        case '~':
        case '%':
        case '!':
        case '$':
        case '&':
        case '\'':
        case '(':
        case ')':
        case '*':
        case '+':
        case ',':
        case ';':
        case '=':
        case ':':
        case '[':
        case ']':
          ok = true;
          break;
        default:
          break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace rodeo::http1
