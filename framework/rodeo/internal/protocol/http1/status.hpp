#pragma once
/// \file
/// Reason phrases for the status line of HTTP/1.1 responses (RFC 9110 §15, RFC 9112 §4).

#include <string_view>

namespace rodeo::http1 {

/// The registered reason phrase of `status` ("OK", "Not Found"...), or an empty view for a
/// code without one: RFC 9112 §4 allows an empty reason phrase, clients must ignore it.
std::string_view reason_phrase(int status) noexcept;

}  // namespace rodeo::http1
