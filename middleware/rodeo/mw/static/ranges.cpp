#include "rodeo/mw/static/ranges.hpp"

#include <limits>

#include "rodeo/mw/static/entity_tag.hpp"
#include "rodeo/mw/static/fields.hpp"
#include "rodeo/mw/static/http_date.hpp"

namespace rodeo::mw::static_files {

namespace {

constexpr auto max_u64 = std::numeric_limits<std::uint64_t>::max();

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// 1*DIGIT at the front of `s`, saturating; nullopt if there is no digit.
std::optional<std::uint64_t> take_number(std::string_view& s) {
  if (s.empty() || !is_digit(s.front())) return {};
  std::uint64_t v = 0;
  while (!s.empty() && is_digit(s.front())) {
    const auto d = static_cast<std::uint64_t>(s.front() - '0');
    v = v > (max_u64 - d) / 10 ? max_u64 : v * 10 + d;
    s.remove_prefix(1);
  }
  return v;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// §13.1.5: does the If-Range validator match the current representation?
bool if_range_matches(std::string_view value, const validators& current) {
  value = trim_ows(value);
  if (value.substr(0, 1) == "\"" || value.substr(0, 2) == "W/") {
    const auto given = parse_entity_tag(value);
    const auto ours = parse_entity_tag(current.etag);
    return given && ours && strong_match(*given, *ours);
  }
  const auto date = parse_http_date(value);
  return date && *date == current.last_modified;
}

std::string content_range(std::uint64_t first, std::uint64_t last, std::uint64_t size) {
  return "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(size);
}

}  // namespace

std::optional<std::vector<range_spec>> parse_range(std::string_view value) {
  value = trim_ows(value);
  const auto eq = value.find('=');
  if (eq == std::string_view::npos || !iequals(value.substr(0, eq), "bytes")) return {};
  std::string_view s = value.substr(eq + 1);
  std::vector<range_spec> specs;
  while (true) {
    s = trim_ows(s);
    if (s.empty()) break;
    if (s.front() == ',') {  // empty list element (RFC 9110 §5.6.1)
      s.remove_prefix(1);
      continue;
    }
    range_spec spec;
    if (s.front() == '-') {
      s.remove_prefix(1);
      const auto n = take_number(s);
      if (!n) return {};
      spec.suffix = true;
      spec.first = *n;
    } else {
      const auto first = take_number(s);
      if (!first || s.empty() || s.front() != '-') return {};
      s.remove_prefix(1);
      spec.first = *first;
      if (!s.empty() && is_digit(s.front())) {
        spec.last = take_number(s);
        if (*spec.last < spec.first) return {};  // invalid range-spec (§14.1.1)
      }
    }
    specs.push_back(spec);
    s = trim_ows(s);
    if (s.empty()) break;
    if (s.front() != ',') return {};
    s.remove_prefix(1);
  }
  if (specs.empty()) return {};
  return specs;
}

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
  const auto specs = parse_range(*range);
  if (!specs) return full;

  std::size_t satisfiable = 0;
  range_decision one;
  one.kind = range_kind::partial;
  for (const auto& spec : *specs) {
    if (spec.suffix) {
      if (spec.first == 0) continue;  // a zero-length suffix selects nothing (§14.1.1)
      // §14.1.1 calls a non-empty suffix of an empty representation satisfiable, yet there is
      // no byte to put in a 206: send the (empty) whole.
      if (size == 0) return full;
      one.first = spec.first >= size ? 0 : size - spec.first;
      one.last = size - 1;
    } else {
      if (spec.first >= size) continue;
      one.first = spec.first;
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
