#pragma once
/// \file
/// Field syntax of RFC 9110 §5 shared by the HTTP/1.1 parser and writer: tokens, list
/// members, optional whitespace. Pure functions on views; nothing allocates.

#include <string_view>

#include "rodeo/headers.hpp"

namespace rodeo::http1 {

/// True for a `tchar` (RFC 9110 §5.6.2): the characters allowed in a token.
bool is_tchar(char c) noexcept;

/// True when `s` is a non-empty token (RFC 9110 §5.6.2), e.g. a field name or a method.
bool is_token(std::string_view s) noexcept;

/// ASCII case-insensitive comparison.
bool iequals(std::string_view a, std::string_view b) noexcept;

/// `s` without leading and trailing optional whitespace (SP and HTAB, RFC 9110 §5.6.3).
std::string_view trim_ows(std::string_view s) noexcept;

/// True when the comma-separated list `list` (RFC 9110 §5.6.1) has a member equal to `token`,
/// compared case-insensitively: `has_token("Upgrade, HTTP2-Settings", "upgrade")` is true.
bool has_token(std::string_view list, std::string_view token) noexcept;

/// True when some field named `name` (lowercase) lists `token` (see has_token).
bool lists_token(const headers& fields, std::string_view name, std::string_view token) noexcept;

}  // namespace rodeo::http1
