#include "rodeo/mw/static/ranges.hpp"

#include "rodeo/http/date.hpp"
#include "rodeo/http/etag.hpp"
#include "rodeo/http/range.hpp"
#include "rodeo/mw/static/fields.hpp"

namespace rodeo::mw::static_files {

namespace {

// §13.1.5: does the If-Range validator match the current representation? An entity-tag
// starts with DQUOTE or W/; anything else must be an HTTP-date.
bool if_range_matches(std::string_view value, const validators& current) {
  value = trim_ows(value);
  if (value.substr(0, 1) == "\"" || value.substr(0, 2) == "W/") {
    const auto given = http::parse_etag(value);
    const auto ours = http::parse_etag(current.etag);
    return given && ours && http::etag_strong_match(*given, *ours);
  }
  const auto date = http::parse_http_date(value);
  return date && *date == current.last_modified;
}

std::string content_range(std::uint64_t first, std::uint64_t last, std::uint64_t size) {
  return "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(size);
}

}  // namespace

range_decision resolve_range(std::string_view method, const rodeo::headers& request,
                             std::uint64_t size, const validators& current) {
  range_decision full;
  if (method != "GET") return full;
  const auto range = combined_field(request, "range");
  if (!range) return full;
  // If-Range holds one validator; a date contains commas, so read the first line only.
  if (const auto if_range = find_header(request, "if-range");
      if_range && !if_range_matches(*if_range, current))
    return full;
  const auto specs = http::parse_range(*range);
  if (!specs) return full;

  std::size_t satisfiable = 0;
  range_decision one;
  one.kind = range_kind::partial;
  for (const auto& spec : *specs) {
    if (spec.is_suffix()) {
      const std::uint64_t length = spec.last.value_or(0);
      if (length == 0) continue;  // a zero-length suffix selects nothing (§14.1.1)
      // §14.1.1 calls a non-empty suffix of an empty representation satisfiable, yet there is
      // no byte to put in a 206: send the (empty) whole.
      if (size == 0) return full;
      one.first = length >= size ? 0 : size - length;
      one.last = size - 1;
    } else {
      if (*spec.first >= size) continue;
      one.first = *spec.first;
      one.last = spec.last && *spec.last < size ? *spec.last : size - 1;
    }
    ++satisfiable;
  }
  if (satisfiable == 0) {
    range_decision none;
    none.kind = range_kind::unsatisfiable;
    none.content_range = "bytes */" + std::to_string(size);
    return none;
  }
  if (satisfiable > 1) return full;  // see the header: no multipart/byteranges
  one.content_range = content_range(one.first, one.last, size);
  return one;
}

}  // namespace rodeo::mw::static_files
