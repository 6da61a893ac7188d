#include "rodeo/internal/protocol/http1/h2c_upgrade.hpp"

#include <cstdint>

#include "rodeo/internal/protocol/http1/field_syntax.hpp"

namespace rodeo::http1 {

namespace {

int base64url_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// True when some field named `name` (lowercase) lists `token`.
bool lists_token(const headers& fields, std::string_view name, std::string_view token) {
  for (const auto& [n, v] : fields)
    if (n == name && has_token(v, token)) return true;
  return false;
}

}  // namespace

std::optional<std::string> decode_base64url(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  // A single character left over in the last group encodes fewer than 8 bits.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = base64url_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

std::optional<std::string> h2c_settings(const request_head& head) {
  // RFC 9110 §7.8: a server must ignore Upgrade in an HTTP/1.0 request.
  if (head.version != "HTTP/1.1" || head.has_body) return std::nullopt;
  if (!lists_token(head.fields, "upgrade", "h2c")) return std::nullopt;
  // RFC 7540 §3.2.1: HTTP2-Settings is a connection-specific field, so Connection names it.
  if (!lists_token(head.fields, "connection", "upgrade") ||
      !lists_token(head.fields, "connection", "http2-settings"))
    return std::nullopt;
  const std::string* value = nullptr;
  for (const auto& [n, v] : head.fields) {
    if (n != "http2-settings") continue;
    if (value != nullptr) return std::nullopt;  // RFC 7540 §3.2.1: exactly one
    value = &v;
  }
  if (value == nullptr) return std::nullopt;
  auto settings = decode_base64url(trim_ows(*value));
  // RFC 7540 §6.5.1: a SETTINGS payload is a sequence of 6-octet settings.
  if (!settings || settings->size() % 6 != 0) return std::nullopt;
  return settings;
}

}  // namespace rodeo::http1
