#pragma once
/// \file
/// HTTP dates (RFC 9110 §5.6.7): formatting as IMF-fixdate, parsing all three forms a
/// recipient must accept (IMF-fixdate, the obsolete RFC 850 and asctime forms).
/// Times are Unix seconds (UTC); HTTP dates carry no finer resolution.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rodeo::mw::static_files {

/// `unix_seconds` as an IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string format_http_date(std::int64_t unix_seconds);

/// Parses an HTTP-date in any of its three forms; nullopt if `text` is not one.
/// `current_year` resolves RFC 850's two-digit years: a year more than 50 years in the future
/// is the most recent past year with the same last two digits (RFC 9110 §5.6.7).
std::optional<std::int64_t> parse_http_date(std::string_view text, int current_year);

/// As above, with the current year from the system clock.
std::optional<std::int64_t> parse_http_date(std::string_view text);

}  // namespace rodeo::mw::static_files
