#pragma once
/// \file
/// Conditional requests (RFC 9110 §13): evaluates If-Match, If-Unmodified-Since,
/// If-None-Match and If-Modified-Since against a representation's validators, in the order
/// of §13.2.2. (If-Range is part of range handling: rodeo/mw/static/ranges.hpp.)

#include <string_view>

#include "rodeo/headers.hpp"
#include "rodeo/mw/static/file_meta.hpp"

namespace rodeo::mw::static_files {

enum class precondition {
  proceed,       ///< all conditions passed (or none given): serve normally
  not_modified,  ///< 304 (GET/HEAD whose If-None-Match / If-Modified-Since is false)
  failed,        ///< 412 Precondition Failed
};

/// Evaluates the preconditions of a request for a representation that exists.
///
/// Order (RFC 9110 §13.2.2):
/// 1. If-Match: false → 412. `*` is true; listed tags compare strongly (§13.1.1), so a weak
///    tag never matches. An unparseable value is false: a match cannot be confirmed.
/// 2. else If-Unmodified-Since (valid date): Last-Modified later than it → 412 (§13.1.4).
/// 3. If-None-Match: `*` or a weakly matching tag makes it false (§13.1.2) → 304 for GET/HEAD,
///    412 otherwise. An unparseable value is ignored.
/// 4. else, for GET/HEAD, If-Modified-Since (valid date): Last-Modified not later than it
///    → 304 (§13.1.3).
/// Invalid dates are ignored, as §13.1.3 and §13.1.4 require.
precondition evaluate_preconditions(std::string_view method, const rodeo::headers& request,
                                    const validators& current);

}  // namespace rodeo::mw::static_files
