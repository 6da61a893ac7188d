#pragma once
/// \file
/// The Cookie request header and Set-Cookie response values (RFC 6265), as Cowboy's
/// `cow_cookie`.

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rodeo::http {

/// Cookie (name, value) pairs in header order; a name may repeat.
using cookie_pairs = std::vector<std::pair<std::string, std::string>>;

/// Parses a Cookie header leniently, as cow_cookie:parse_cookie (RFC 6265 §5.4 is what user
/// agents send; servers meet older and odder ones):
/// - pairs are split on ';'; leading spaces, tabs, commas and semicolons are skipped;
/// - the name ends at the first '=', the value at the next ';' (a value may hold spaces,
///   commas and '='; quotes are kept as sent);
/// - spaces around the name and the value are trimmed (Cowboy trims only the value's end);
/// - a piece without '=' gives an empty name and the piece as value (`foo` → {"", "foo"}).
/// Throws `std::invalid_argument` where Cowboy fails with badarg (the framework answers
/// 400): an empty name before '=', a ',' in a name, or a tab, CR, LF, VT or FF anywhere in
/// a name or value.
[[nodiscard]] cookie_pairs parse_cookies(std::string_view cookie_header);

/// As `parse_cookies`, with `std::nullopt` instead of the exception. Never throws.
[[nodiscard]] std::optional<cookie_pairs> try_parse_cookies(std::string_view cookie_header);

/// Attributes of a Set-Cookie value (RFC 6265 §4.1).
struct cookie_options {
  /// Seconds; also sets Expires (now + max_age) for user agents that only know Expires.
  /// 0 deletes the cookie (Expires in 1970). Negative values are rejected, as in Cowboy.
  std::optional<std::int64_t> max_age{};
  std::string domain{};  ///< empty: no Domain attribute (host-only cookie)
  std::string path{};    ///< empty: no Path attribute
  bool secure = false;
  bool http_only = false;
  /// "Strict", "Lax" or "None" (any case; written as shown), or empty for no SameSite.
  std::string same_site{};
};

/// The value of a Set-Cookie field, attributes in this order when set:
/// `name=value; Expires=<IMF-fixdate>; Max-Age=n; Domain=d; Path=p; Secure; HttpOnly;
/// SameSite=s`.
/// Throws `std::invalid_argument`, naming the offending part, on: a name that is not a token;
/// a value outside cookie-octets, optionally in DQUOTEs (RFC 6265 §4.1.1); a domain outside
/// letters, digits, '-' and '.'; a path with ';' or a control byte; a negative max_age; an
/// unknown same_site; SameSite=None without `secure` (user agents drop such a cookie,
/// RFC 6265bis §4.1.2.7).
std::string set_cookie_value(std::string_view name, std::string_view value,
                             const cookie_options& opts, std::time_t now);

/// As above with the current time (only Expires depends on it).
std::string set_cookie_value(std::string_view name, std::string_view value,
                             const cookie_options& opts = {});

}  // namespace rodeo::http
