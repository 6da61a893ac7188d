#pragma once
/// \file
/// HTTP dates (RFC 9110 §5.6.7) for Date, Last-Modified, Expires, If-Modified-Since and
/// If-Unmodified-Since: seconds since the Unix epoch, UTC.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace rodeo::http {

/// Parses the three forms RFC 9110 §5.6.7 has recipients accept, surrounding OWS ignored:
///   IMF-fixdate  `Sun, 06 Nov 1994 08:49:37 GMT`
///   RFC 850      `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete)
///   asctime      `Sun Nov  6 08:49:37 1994`       (obsolete)
/// Names and "GMT" are case-sensitive as the grammar says; the day of the month must exist
/// (no Feb 30); second 60 (a leap second) is taken and rolls into the next minute; the day
/// name is not checked against the date. A two-digit RFC 850 year is placed in the century
/// that puts it at most 50 years after `now`'s year and less than 50 before.
/// Returns `std::nullopt` for anything else. Never throws.
[[nodiscard]] std::optional<std::time_t> parse_http_date(std::string_view value,
                                                         std::time_t now) noexcept;

/// As above, with the current time for the RFC 850 century.
[[nodiscard]] std::optional<std::time_t> parse_http_date(std::string_view value) noexcept;

/// IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. Times before year 0
/// or after year 9999 are clamped to those years' bounds (the format has four year digits).
std::string format_http_date(std::time_t t);

}  // namespace rodeo::http
