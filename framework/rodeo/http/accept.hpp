#pragma once
/// \file
/// Content negotiation headers (RFC 9110 §12.5): Accept, Accept-Charset, Accept-Encoding,
/// Accept-Language, as Cowboy's `cow_http_hd` parses them and `cowboy_rest` orders them.
///
/// Qualities are thousandths: `q=0.5` is 500, no `q` is 1000, `q=0` (not acceptable) is 0
/// and is kept so that callers can honour it. Every parser returns `std::nullopt` on a
/// malformed value and never throws on any input.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rodeo::http {

/// Parameters in header order: names lowercase, values as sent (quoted-strings unquoted).
using header_params = std::vector<std::pair<std::string, std::string>>;

/// One media range of an Accept header.
struct media_range {
  std::string type;      ///< lowercase; "*" for any
  std::string subtype;   ///< lowercase; "*" for any
  header_params params;  ///< media type parameters (before q)
  int quality = 1000;    ///< 0..1000
  /// accept-ext, after q (RFC 7231 §5.3.2; dropped by RFC 9110 but still sent). A
  /// valueless extension has an empty value.
  header_params extensions;

  friend bool operator==(const media_range&, const media_range&) = default;
};

/// A token and its quality, for Accept-Charset, Accept-Encoding and Accept-Language.
struct weighted_token {
  std::string value;   ///< lowercase
  int quality = 1000;  ///< 0..1000

  friend bool operator==(const weighted_token&, const weighted_token&) = default;
};

/// RFC 9110 §12.5.1. Sorted by preference, as cowboy_rest does before negotiating: higher
/// quality first; among equal qualities the more specific range first (`type/subtype` over
/// `type/*` over `*/*`, then more parameters over fewer); otherwise header order (stable).
/// An empty value gives an empty list. As Cowboy, also takes `*` for `*/*` and `q=.5`.
[[nodiscard]] std::optional<std::vector<media_range>> parse_accept(std::string_view value);

/// RFC 9110 §12.5.2: `1#( ( token / "*" ) [ weight ] )`; at least one element. Lowercased,
/// sorted by quality (stable). As Cowboy, tolerates ';' for ',' between elements
/// (`ISO-8859-1;utf-8;q=0.7`), which some user agents send.
[[nodiscard]] std::optional<std::vector<weighted_token>> parse_accept_charset(
    std::string_view value);

/// RFC 9110 §12.5.3: `#( codings [ weight ] )`; may be empty (then only identity is wanted).
/// Lowercased, sorted by quality (stable).
[[nodiscard]] std::optional<std::vector<weighted_token>> parse_accept_encoding(
    std::string_view value);

/// RFC 9110 §12.5.4 with RFC 4647 §2.1 language ranges: `1*8ALPHA *( "-" 1*8alphanum )` or
/// `*`; at least one element. Lowercased, sorted by quality (stable).
[[nodiscard]] std::optional<std::vector<weighted_token>> parse_accept_language(
    std::string_view value);

}  // namespace rodeo::http
