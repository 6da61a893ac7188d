#include "rodeo/mw/static/conditional.hpp"

#include <algorithm>

#include "rodeo/http/date.hpp"
#include "rodeo/http/etag.hpp"
#include "rodeo/mw/static/fields.hpp"

namespace rodeo::mw::static_files {

namespace {

bool get_or_head(std::string_view method) { return method == "GET" || method == "HEAD"; }

// §13.1.1
bool if_match_passes(std::string_view value, const http::entity_tag& current) {
  const auto list = http::parse_if_match(value);
  if (!list) return false;
  if (list->any) return true;
  return std::any_of(list->tags.begin(), list->tags.end(), [&](const http::entity_tag& t) {
    return http::etag_strong_match(t, current);
  });
}

// §13.1.2: true when nothing matches.
bool if_none_match_passes(std::string_view value, const http::entity_tag& current) {
  const auto list = http::parse_if_none_match(value);
  if (!list) return true;
  if (list->any) return false;
  return std::none_of(list->tags.begin(), list->tags.end(),
                      [&](const http::entity_tag& t) { return http::etag_weak_match(t, current); });
}

}  // namespace

precondition evaluate_preconditions(std::string_view method, const rodeo::headers& request,
                                    const validators& current) {
  // Our own ETag always parses. Were it empty, the '"' opaque (never a parsed tag's) would
  // match nothing but `*`.
  const http::entity_tag tag = http::parse_etag(current.etag).value_or(http::entity_tag{"\""});

  // Dates contain commas, so date fields are read from their first line, not combined.
  // Step 1 / 2: the state-changing preconditions.
  if (const auto im = combined_field(request, "if-match")) {
    if (!if_match_passes(*im, tag)) return precondition::failed;
  } else if (const auto ius = find_header(request, "if-unmodified-since")) {
    if (const auto date = http::parse_http_date(*ius); date && current.last_modified > *date)
      return precondition::failed;
  }

  // Step 3 / 4: the cache-validating preconditions.
  if (const auto inm = combined_field(request, "if-none-match")) {
    if (!if_none_match_passes(*inm, tag))
      return get_or_head(method) ? precondition::not_modified : precondition::failed;
  } else if (get_or_head(method)) {
    if (const auto ims = find_header(request, "if-modified-since")) {
      if (const auto date = http::parse_http_date(*ims); date && current.last_modified <= *date)
        return precondition::not_modified;
    }
  }
  return precondition::proceed;
}

}  // namespace rodeo::mw::static_files
