#include "rodeo/push.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "rodeo/errors.hpp"
#include "rodeo/push_policy.hpp"

namespace rodeo {

std::string_view to_string(push_skip s) {
  switch (s) {
    case push_skip::none:
      return "promised";
    case push_skip::http1:
      return "http1";
    case push_skip::disabled_by_client:
      return "disabled_by_client";
    case push_skip::nested:
      return "nested";
    case push_skip::connection_closing:
      return "connection_closing";
    case push_skip::concurrency_limit:
      return "concurrency_limit";
    case push_skip::duplicate:
      return "duplicate";
    case push_skip::stream_closed:
      return "stream_closed";
    case push_skip::output_full:
      return "output_full";
    case push_skip::policy:
      return "policy";
    case push_skip::client_cached:
      return "client_cached";
    case push_skip::no_push_id:
      return "no_push_id";
    case push_skip::push_ids_exhausted:
      return "push_ids_exhausted";
  }
  return "unknown";
}

std::string_view to_string(push_policy p) {
  switch (p) {
    case push_policy::push_or_hint:
      return "push_or_hint";
    case push_policy::push_only:
      return "push_only";
    case push_policy::hint_only:
      return "hint_only";
    case push_policy::off:
      return "off";
  }
  return "unknown";
}

namespace {

// RFC 9110 §5.6.2 tchar.
bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view{"!#$%&'*+-.^_`|~"}.find(c) != std::string_view::npos;
}

// Fields a promised request may not carry: connection-specific fields (RFC 9113 §8.2.2),
// fields describing content (a promised request has none, §8.4), and `host` (the authority
// travels as :authority, §8.3.1).
// `content-encoding` among them: there is no content to encode (Go's Pusher refuses it too).
constexpr std::array<std::string_view, 11> forbidden_fields = {
    "host",    "content-length",   "transfer-encoding", "te",
    "expect",  "connection",       "keep-alive",        "upgrade",
    "trailer", "proxy-connection", "content-encoding"};

void fail(const std::string& what) { throw usage_error("req.push: " + what); }

// A field name a promised request may carry: `what` says where it came from in messages.
void check_name(const std::string& name, const char* what) {
  if (name.empty()) fail(std::string{what} + " has an empty name");
  if (name.front() == ':')
    fail(std::string{what} + " '" + name +
         "' is a pseudo-header: set method, scheme, host, port and qs "
         "through push_options, not as fields");
  for (char c : name) {
    if (c >= 'A' && c <= 'Z')
      fail(std::string{what} + " '" + name +
           "' has uppercase letters: HTTP/2 field names are lowercase "
           "(RFC 9113 §8.2.1)");
    if (!is_tchar(c))
      fail(std::string{what} + " '" + name + "' is not a valid field name (RFC 9110 §5.1)");
  }
  if (std::find(forbidden_fields.begin(), forbidden_fields.end(), name) != forbidden_fields.end())
    fail(std::string{what} + " '" + name +
         "' may not appear in a promised request (RFC 9113 §8.2.2, "
         "§8.4): remove it");
}

}  // namespace

// RFC 3986 §5.2.4 remove_dot_segments, for an absolute path (no scheme or authority).
std::string remove_dot_segments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.starts_with("/./")) {
      in.remove_prefix(2);  // C: "/./" -> "/"
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../") || in == "/..") {
      // D: remove the last segment of the output, and "/.." becomes "/".
      in = in.size() == 3 ? std::string_view{"/"} : in.substr(3);
      auto slash = out.rfind('/');
      out.erase(slash == std::string::npos ? 0 : slash);
      if (in == "/") {
        out += '/';
        break;
      }
    } else {
      // E: move the first segment ("/seg") to the output.
      auto next = in.find('/', 1);
      if (next == std::string_view::npos) next = in.size();
      out += in.substr(0, next);
      in.remove_prefix(next);
    }
  }
  return out.empty() ? "/" : out;
}

void validate_push(std::string_view path, const headers& fields, const push_options& opts) {
  // RFC 9113 §8.4: promised requests must be safe and cacheable and carry no content:
  // GET or HEAD.
  if (opts.method != "GET" && opts.method != "HEAD")
    fail("method '" + opts.method +
         "' cannot be pushed: promised requests must be safe, "
         "cacheable and without content (RFC 9113 §8.4); use GET or HEAD");
  if (path.empty() || path.front() != '/')
    fail("path '" + std::string{path} + "' must be an absolute path starting with '/'");
  for (char c : path)
    if (c == '?' || c == '#' || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      fail("path '" + std::string{path} + "' has a character not allowed in a path " +
           "(a query goes in push_options::qs; spaces and controls must be percent-encoded)");
  for (char c : opts.qs)
    if (c == '#' || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      fail("query string '" + opts.qs + "' has a character that must be percent-encoded");
  if (opts.scheme && *opts.scheme != "http" && *opts.scheme != "https")
    fail("scheme '" + *opts.scheme + "' is not http or https");
  if (opts.host) {
    if (opts.host->empty()) fail("host override is empty");
    for (char c : *opts.host)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
            c == ':' || c == '[' || c == ']'))
        fail("host '" + *opts.host + "' is not a valid host name");
  }
  if (opts.port && *opts.port == 0) fail("port 0 is not a port a client can reach");

  for (const auto& name : opts.inherit) check_name(name, "inherited field");
  for (const auto& [name, value] : fields) {
    check_name(name, "header");
    for (char c : value)
      if (c == '\r' || c == '\n' || c == '\0')
        fail("header '" + name + "' has a CR, LF or NUL in its value (RFC 9113 §8.2.1)");
    // Other controls (HTAB aside) are not field-value bytes (RFC 9110 §5.5), and a value must
    // not start or end with whitespace (RFC 9113 §8.2.1): clients reset such a promise.
    for (char c : value)
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
        fail("header '" + name +
             "' has a control character in its value (RFC 9110 §5.5): "
             "remove it or percent-encode it");
    if (!value.empty() && (value.front() == ' ' || value.front() == '\t' || value.back() == ' ' ||
                           value.back() == '\t'))
      fail("header '" + name +
           "' value starts or ends with whitespace (RFC 9113 §8.2.1): "
           "trim it");
  }
}

}  // namespace rodeo
