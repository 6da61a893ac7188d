#pragma once
/// \file
/// Route patterns, Cowboy's routing language, parsed once at start into segment vectors.
///
/// A pattern is split on its separator ('.' for hosts, '/' for paths); empty segments are
/// dropped, so "/hats/" is "/hats" and ".example.org." is "example.org". A segment is:
/// - literal text, compared exactly (host literals case-insensitively; path literals may be
///   percent-encoded and are compared decoded);
/// - `:name`, a binding: matches any one segment and binds it. A name used twice (also once
///   in the host and once in the path) must match the same text both times. The name runs to
///   the next separator, '[' or ']'; a ':' inside a segment is literal ("/foo/bar:baz");
/// - `:_`, matches any one segment without binding it (a bare `_` segment is literal, as in
///   Cowboy; only the whole pattern "_" means "anything");
/// - `[...]`: the rest. In a path it must come last and matches zero or more trailing
///   segments (path_info); in a host it must come first (left-most) and matches zero or more
///   leading labels (host_info).
///
/// `[x]` makes x optional; groups nest ("/hats/[page/[:number]]") and either start a segment
/// or begin with the separator ("/hats[/page]"). A pattern expands into one alternative per
/// combination, tried shortest first (Cowboy's order), at most `max_alternatives`.
///
/// Whole-pattern forms: "_" (any host / any path), "*" (paths only: the request-target of
/// `OPTIONS *`, RFC 9110 §9.3.7). Path patterns otherwise start with '/'. Host patterns have
/// no port; an IP-literal host ("[::1]") is one label, matched by "_" or a binding.
///
/// Errors Cowboy leaves to a crash or to a route that never matches are compile errors here:
/// an unclosed '[' or a stray ']', an empty `:`, an empty `[]`, `[...]` not last in a path
/// (not first in a host), '[' inside a segment, a bad percent-encoding or a "."/".." literal
/// in a path, a ':' port in a host.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/result.hpp"

namespace rodeo::router {

enum class segment_kind : std::uint8_t {
  literal,  ///< text to compare
  binding,  ///< `:name`: binds one segment
  any,      ///< `:_`: one segment, not bound
  rest,     ///< `[...]`: the remaining segments (host_info / path_info)
};

struct segment {
  segment_kind kind = segment_kind::literal;
  std::string text;  ///< literal text (decoded, hosts lowercase) or binding name
  bool operator==(const segment&) const = default;
};

/// One alternative of a pattern, optional groups resolved. Host alternatives are stored
/// right to left (top-level label first), the order hosts are matched in.
using segments = std::vector<segment>;

enum class pattern_kind : std::uint8_t {
  any,   ///< "_": matches every host / every path
  star,  ///< "*": matches only the path "*" (paths only)
  list,  ///< segment alternatives
};

struct pattern {
  pattern_kind kind = pattern_kind::list;
  std::vector<segments> alternatives;  ///< kind == list only

  /// Every binding name of every alternative, each once, in order of first appearance.
  std::vector<std::string> names() const;
};

/// Most alternatives one pattern may expand to; a pattern with more optional groups is an
/// error (n independent groups give 2^n alternatives).
inline constexpr std::size_t max_alternatives = 256;

/// Parses a host pattern. Errors read `host "<pattern>": <what is wrong>`.
[[nodiscard]] result<pattern> parse_host_pattern(std::string_view text);

/// Parses a path pattern. Errors read `route "<pattern>": <what is wrong>`.
[[nodiscard]] result<pattern> parse_path_pattern(std::string_view text);

/// Renders one alternative for messages and tests: paths "/hats/:id/[...]", hosts in left to
/// right order "[...].example.org".
std::string to_string(const segments& alternative, bool host);

}  // namespace rodeo::router
