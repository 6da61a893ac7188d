#include "rodeo/internal/protocol/http1/h2c_upgrade.hpp"

#include <cstdint>

#include "rodeo/internal/protocol/http1/field_syntax.hpp"

namespace rodeo::http1 {

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
