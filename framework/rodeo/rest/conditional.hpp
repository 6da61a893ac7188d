#pragma once
/// \file
/// Conditional requests for rest_handler: RFC 9110 §13.2.2's order of evaluation over the
/// resource's validators. Pure.

#include <ctime>
#include <optional>

#include "rodeo/http/etag.hpp"

namespace rodeo::rest {

/// The request's preconditions, parsed (absent fields are std::nullopt).
struct preconditions {
  std::optional<http::etag_list> if_match;
  std::optional<std::time_t> if_unmodified_since;
  std::optional<http::etag_list> if_none_match;
  std::optional<std::time_t> if_modified_since;
};

/// The selected representation's validators; `exists` false when there is none.
struct validators {
  bool exists = true;
  std::optional<http::entity_tag> etag;
  std::optional<std::time_t> last_modified;
};

enum class precondition_outcome {
  proceed,       ///< perform the method
  not_modified,  ///< 304 (GET/HEAD only)
  failed,        ///< 412
};

/// RFC 9110 §13.2.2: If-Match (strong comparison, §13.1.1), else If-Unmodified-Since
/// (§13.1.4); then If-None-Match (weak comparison, §13.1.2), else If-Modified-Since for
/// GET/HEAD (§13.1.3). A date condition without a Last-Modified is ignored.
[[nodiscard]] precondition_outcome evaluate_preconditions(const preconditions& p,
                                                          const validators& v,
                                                          bool get_or_head) noexcept;

}  // namespace rodeo::rest
