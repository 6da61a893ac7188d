#pragma once
/// \file
/// Request header parsers, as Cowboy's `cow_http_hd`: pure functions from a field value to a
/// typed value. This header declares the simple ones and includes the rest:
///   accept.hpp  Accept, Accept-Charset, Accept-Encoding, Accept-Language
///   etag.hpp    ETag, If-Match, If-None-Match, strong and weak comparison
///   date.hpp    Date, If-Modified-Since, If-Unmodified-Since, Last-Modified (and formatting)
///   range.hpp   Range
///
/// Every parser takes the field value (surrounding OWS allowed), returns `std::nullopt` when
/// the value is malformed, and never throws on any input. Tokens that RFC 9110 makes
/// case-insensitive come back lowercase.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/http/accept.hpp"
#include "rodeo/http/date.hpp"
#include "rodeo/http/etag.hpp"
#include "rodeo/http/range.hpp"

namespace rodeo::http {

/// A media type (RFC 9110 §8.3.1).
struct media_type {
  std::string type;     ///< lowercase
  std::string subtype;  ///< lowercase
  /// Names lowercase, values as sent (quoted-strings unquoted) except `charset`, lowercased
  /// because charset names are case-insensitive (RFC 9110 §8.3.2).
  header_params params;

  /// The value of the first parameter named `name` (lowercase), if any.
  std::optional<std::string_view> param(std::string_view name) const noexcept;

  friend bool operator==(const media_type&, const media_type&) = default;
};

/// RFC 9110 §8.3: `type "/" subtype parameters`. Empty parameters (`text/html;`) are allowed
/// (RFC 9110 §5.6.6); a list (`a/b, c/d`) is not.
[[nodiscard]] std::optional<media_type> parse_content_type(std::string_view value);

/// RFC 9110 §8.6: `1*DIGIT`, nothing else (no sign, no list, no inner spaces). A value that
/// does not fit 64 bits is an error, not a wrap.
[[nodiscard]] std::optional<std::uint64_t> parse_content_length(std::string_view value) noexcept;

/// One Cache-Control directive (RFC 9111 §5.2).
struct cache_directive {
  std::string name;                  ///< lowercase
  std::optional<std::string> value;  ///< as sent, quoted-strings unquoted

  friend bool operator==(const cache_directive&, const cache_directive&) = default;
};

/// RFC 9111 §5.2: `1#( token [ "=" ( token / quoted-string ) ] )`.
[[nodiscard]] std::optional<std::vector<cache_directive>> parse_cache_control(
    std::string_view value);

/// RFC 9110 §7.6.1: `1#connection-option` (tokens), lowercase, in header order.
[[nodiscard]] std::optional<std::vector<std::string>> parse_connection(std::string_view value);

/// RFC 9110 §7.8: `1#protocol`, protocol = protocol-name [ "/" protocol-version ], lowercase,
/// in header order (`h2c`, `websocket`, `http/2.0`).
[[nodiscard]] std::optional<std::vector<std::string>> parse_upgrade(std::string_view value);

}  // namespace rodeo::http
