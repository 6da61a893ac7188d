#pragma once
/// \file
/// Recognising an HTTP/1.1 request that asks to continue as HTTP/2 over clear text
/// (`Upgrade: h2c`, RFC 7540 §3.2) and decoding its HTTP2-Settings field.

#include <optional>
#include <string>
#include <string_view>

#include "rodeo/http/base64url.hpp"
#include "rodeo/request_head.hpp"

namespace rodeo::http1 {

/// Decodes base64url (RFC 4648 §5), with or without '=' padding (rodeo/http/base64url.hpp).
using http::decode_base64url;

/// The decoded HTTP2-Settings payload when `head` is a well-formed h2c upgrade request
/// (RFC 7540 §3.2, §3.2.1): HTTP/1.1, `Upgrade` lists `h2c`, `Connection` lists `Upgrade` and
/// `HTTP2-Settings`, exactly one `HTTP2-Settings` field holding base64url of a SETTINGS
/// payload (a multiple of 6 octets), and no body. nullopt otherwise: the caller serves the
/// request over HTTP/1.1 and ignores the upgrade. Transport conditions (clear text, nothing
/// else outstanding) are the caller's to check.
std::optional<std::string> h2c_settings(const request_head& head);

}  // namespace rodeo::http1
