#pragma once
/// \file
/// The media type check the body readers share: a body in a type the handler cannot read is
/// refused with 415 Unsupported Media Type (RFC 9110 §15.5.16).

#include <cstdint>
#include <string_view>

#include "rodeo/http/parse_header.hpp"

namespace rodeo {

class req;

/// The request's Content-Type if `accept` takes it. Otherwise throws `rodeo::client_error`
/// 415 whose message names `expected` (e.g. "application/json"): absent, malformed and other
/// types alike.
http::media_type require_content_type(const req& r, std::string_view expected,
                                      bool (*accept)(const http::media_type&));

/// Throws `rodeo::client_error` 413 (RFC 9110 §15.5.14) if the request announces a body
/// longer than `limit` bytes, before any of it is read.
void check_content_length(const req& r, std::uint64_t limit);

}  // namespace rodeo
