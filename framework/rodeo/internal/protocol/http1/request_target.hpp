#pragma once
/// \file
/// The request-target of an HTTP/1.1 request line (RFC 9112 §3.2) split into the parts of a
/// `request_head`, and the syntax check of the Host field (RFC 9110 §7.2).

#include <optional>
#include <string>
#include <string_view>

namespace rodeo::http1 {

/// A request-target split at its delimiters. Percent-encoding is left as sent.
struct request_target {
  std::string scheme;     ///< lowercase "http"/"https" for the absolute-form, else empty.
  std::string authority;  ///< host[:port] of the absolute-form, else empty.
  std::string path;       ///< "/..." or "*" (asterisk-form).
  std::string qs;         ///< the query without '?', possibly empty.
};

/// Splits `target` (RFC 9112 §3.2): the origin-form "/p?q", the absolute-form
/// "http://host/p?q" (RFC 9112 §3.2.2, http and https URIs only, an empty path becomes "/"),
/// and the asterisk-form "*" for OPTIONS (RFC 9112 §3.2.4). A fragment is dropped. nullopt
/// when the target is none of these (the authority-form belongs to CONNECT alone).
std::optional<request_target> parse_request_target(std::string_view target,
                                                   std::string_view method);

/// True when `host` is a syntactically valid Host value (RFC 9110 §7.2: uri-host [":" port]),
/// the empty value included (RFC 9112 §3.2 allows it when the target has no authority).
bool is_valid_host(std::string_view host) noexcept;

}  // namespace rodeo::http1
