#include "rodeo/http/range.hpp"

#include "rodeo/http/lex.hpp"

namespace rodeo::http {

std::optional<std::vector<byte_range>> parse_range(std::string_view value) {
  detail::cursor c{detail::trim_ows(value)};
  // ranges-specifier = range-unit "=" range-set
  if (!c.eat_ci("bytes=")) return std::nullopt;
  std::vector<byte_range> out;
  for (;;) {
    c.skip_list_separators();
    if (c.done()) break;
    // int-range = first-pos "-" [ last-pos ] ; suffix-range = "-" suffix-length
    byte_range r;
    const auto first = c.span(detail::is_digit);
    if (!first.empty()) {
      r.first = detail::parse_u64(first);
      if (!r.first) return std::nullopt;
    }
    if (!c.eat('-')) return std::nullopt;
    const auto last = c.span(detail::is_digit);
    if (!last.empty()) {
      r.last = detail::parse_u64(last);
      if (!r.last) return std::nullopt;
    }
    if (!r.first && !r.last) return std::nullopt;
    // RFC 9110 §14.1.1: an int-range with last-pos below first-pos is invalid.
    if (r.first && r.last && *r.last < *r.first) return std::nullopt;
    if (!c.end_of_element()) return std::nullopt;
    out.push_back(r);
  }
  // range-set = 1#range-spec
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace rodeo::http
