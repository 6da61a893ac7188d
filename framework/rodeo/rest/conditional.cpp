#include "rodeo/rest/conditional.hpp"

namespace rodeo::rest {

namespace {

// `*` matches any current representation; tags match the current ETag by `same`.
template <class Same>
bool list_matches(const http::etag_list& list, const validators& v, Same same) {
  if (!v.exists) return false;
  if (list.any) return true;
  if (!v.etag) return false;
  for (const auto& t : list.tags)
    if (same(t, *v.etag)) return true;
  return false;
}

}  // namespace

precondition_outcome evaluate_preconditions(const preconditions& p, const validators& v,
                                            bool get_or_head) noexcept {
  // Step 1-2: the client's expectation of the current state.
  if (p.if_match) {
    if (!list_matches(*p.if_match, v, http::etag_strong_match)) return precondition_outcome::failed;
  } else if (p.if_unmodified_since && v.exists && v.last_modified) {
    if (*v.last_modified > *p.if_unmodified_since) return precondition_outcome::failed;
  }
  // Step 3-4: the client's cache is current.
  if (p.if_none_match) {
    if (list_matches(*p.if_none_match, v, http::etag_weak_match))
      return get_or_head ? precondition_outcome::not_modified : precondition_outcome::failed;
  } else if (get_or_head && p.if_modified_since && v.exists && v.last_modified) {
    if (*v.last_modified <= *p.if_modified_since) return precondition_outcome::not_modified;
  }
  return precondition_outcome::proceed;
}

}  // namespace rodeo::rest
