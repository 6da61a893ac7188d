#pragma once
/// \file
/// base64url (RFC 4648 §5): the URL- and cookie-safe alphabet. Used by the h2c upgrade's
/// HTTP2-Settings field and the pushed-resources digest cookie.

#include <optional>
#include <string>
#include <string_view>

namespace rodeo::http {

/// `bytes` as base64url without '=' padding.
std::string encode_base64url(std::string_view bytes);

/// Decodes base64url, with or without '=' padding. nullopt when `text` holds a character
/// outside the alphabet or has an impossible length.
std::optional<std::string> decode_base64url(std::string_view text);

}  // namespace rodeo::http
