#include "rodeo/mw/static/conditional.hpp"

#include <algorithm>

#include "rodeo/mw/static/entity_tag.hpp"
#include "rodeo/mw/static/fields.hpp"
#include "rodeo/mw/static/http_date.hpp"

namespace rodeo::mw::static_files {

namespace {

bool get_or_head(std::string_view method) { return method == "GET" || method == "HEAD"; }

// §13.1.1
bool if_match_passes(std::string_view value, const entity_tag& current) {
  const auto cond = parse_etag_condition(value);
  if (!cond) return false;
  if (cond->any) return true;
  return std::any_of(cond->tags.begin(), cond->tags.end(),
                     [&](const entity_tag& t) { return strong_match(t, current); });
}

// §13.1.2: true when nothing matches.
bool if_none_match_passes(std::string_view value, const entity_tag& current) {
  const auto cond = parse_etag_condition(value);
  if (!cond) return true;
  if (cond->any) return false;
  return std::none_of(cond->tags.begin(), cond->tags.end(),
                      [&](const entity_tag& t) { return weak_match(t, current); });
}

}  // namespace

precondition evaluate_preconditions(std::string_view method, const rodeo::headers& request,
                                    const validators& current) {
  // Our own ETag always parses; an empty one (no validator) matches nothing but `*`.
  const entity_tag tag = parse_entity_tag(current.etag).value_or(entity_tag{false, "\""});

  // Dates contain commas, so date fields are read from their first line, not combined.
  // Step 1 / 2: the state-changing preconditions.
  if (const auto im = combined_field(request, "if-match")) {
    if (!if_match_passes(*im, tag)) return precondition::failed;
  } else if (const auto ius = find_header(request, "if-unmodified-since")) {
    if (const auto date = parse_http_date(trim_ows(*ius)); date && current.last_modified > *date)
      return precondition::failed;
  }

  // Step 3 / 4: the cache-validating preconditions.
  if (const auto inm = combined_field(request, "if-none-match")) {
    if (!if_none_match_passes(*inm, tag))
      return get_or_head(method) ? precondition::not_modified : precondition::failed;
  } else if (get_or_head(method)) {
    if (const auto ims = find_header(request, "if-modified-since")) {
      if (const auto date = parse_http_date(trim_ows(*ims)); date && current.last_modified <= *date)
        return precondition::not_modified;
    }
  }
  return precondition::proceed;
}

}  // namespace rodeo::mw::static_files
