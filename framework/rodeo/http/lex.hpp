#pragma once
/// \file
/// Character classes and a small cursor shared by the header parsers (RFC 9110 §5.6).
/// Private to the `rodeo::http` parsers: the API lives in the other headers of this folder.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rodeo::http::detail {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_alnum(char c) noexcept { return is_alpha(c) || is_digit(c); }
/// RFC 9110 §5.6.3: OWS is spaces and horizontal tabs.
constexpr bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }
constexpr char to_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

/// RFC 9110 §5.6.2: tchar.
constexpr bool is_tchar(char c) noexcept {
  return is_alnum(c) || std::string_view{"!#$%&'*+-.^_`|~"}.find(c) != std::string_view::npos;
}

/// ASCII lowercase copy.
std::string to_lower(std::string_view s);

/// Splits an authority (`host[:port]`, RFC 3986 §3.2.2: an IPv6 literal keeps its brackets)
/// into its lowercase host and its port, `default_port` when it names none.
void split_authority(std::string_view authority, std::string& host, std::uint16_t& port,
                     std::uint16_t default_port);

/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b) noexcept;

/// `s` without leading and trailing OWS.
std::string_view trim_ows(std::string_view s) noexcept;

/// Digits only, at least one, into an unsigned 64-bit value; nullopt on anything else or overflow.
[[nodiscard]] std::optional<std::uint64_t> parse_u64(std::string_view digits) noexcept;

/// Reads a field value left to right. `eat`, `eat_ci`, `quoted_string` and `qvalue` consume
/// nothing when they fail.
class cursor {
 public:
  explicit cursor(std::string_view s) noexcept : s_(s) {}

  bool done() const noexcept { return i_ >= s_.size(); }
  char peek() const noexcept { return done() ? '\0' : s_[i_]; }
  std::size_t pos() const noexcept { return i_; }
  std::string_view rest() const noexcept { return s_.substr(i_); }
  /// What was consumed since `start` (a `pos()`).
  std::string_view since(std::size_t start) const noexcept { return s_.substr(start, i_ - start); }

  /// Consumes `c` if it is next.
  bool eat(char c) noexcept;

  /// Consumes `lit` if it comes next, byte for byte.
  bool eat(std::string_view lit) noexcept;

  /// Consumes `lit` if it comes next, compared ASCII case-insensitively.
  bool eat_ci(std::string_view lit) noexcept;

  void skip_ows() noexcept;

  /// Skips OWS and empty list elements: RFC 9110 §5.6.1.2 has recipients accept `, ,a,,b`.
  void skip_list_separators() noexcept;

  /// After a list element: OWS, then the end or a comma (consumed). False if anything else.
  bool end_of_element() noexcept;

  /// The longest run of tchar from here (empty if none).
  std::string_view token() noexcept;

  /// Consumes up to `max` characters matching `pred` and returns them (empty if none).
  template <class Pred>
  std::string_view span(Pred pred, std::size_t max = std::string_view::npos) noexcept {
    const auto start = i_;
    while (!done() && i_ - start < max && pred(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }

  /// RFC 9110 §5.6.4: a quoted-string from here, unescaped into `out`. False (nothing
  /// consumed) if the next byte is not DQUOTE or the string is malformed or unterminated.
  bool quoted_string(std::string& out);

  /// RFC 9110 §5.6.6: `token / quoted-string` into `out`. False if neither.
  bool token_or_quoted(std::string& out);

  /// RFC 9110 §5.6.6: `parameter-name "=" parameter-value` from here, the name lowercased.
  /// False if malformed (the cursor is then somewhere inside it).
  bool parameter(std::string& name, std::string& value);

  /// RFC 9110 §12.4.2: a qvalue as thousandths (0..1000). Also takes `.5`, which some user
  /// agents send for `0.5` (Cowboy accepts it too).
  std::optional<int> qvalue() noexcept;

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace rodeo::http::detail
