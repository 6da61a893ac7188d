#pragma once
/// \file
/// Matching a request's host and path against compiled routes (Cowboy's
/// `cowboy_router:match/3`).
///
/// Order of the checks, and the answer for each failure (Cowboy's):
/// 1. host rules in table order; the first whose pattern and host constraints match owns the
///    request. None matches: `bad_host` (400). A malformed host (an empty label, "a..b")
///    matches only "_" host rules.
/// 2. the path: "*" (the request-target of `OPTIONS *`, RFC 9110 §9.3.7) is not split;
///    any other path must start with '/', decode (RFC 3986 §2.1) and not climb above the
///    root with ".." (see split.hpp). Otherwise `bad_path` (400), whatever the path rules:
///    Cowboy would hand such a path to a leading "_" rule, we never do.
/// 3. the owning host's path rules in order: "_" matches every path, "*" only the path "*",
///    a segment pattern never matches "*". The first whose pattern and constraints match wins.
///    None: `no_path` (404).
///
/// Matching allocates only for the decoded path and the result; it never throws on any input
/// (a user constraint that throws rejects its binding), only std::bad_alloc can escape.

#include <cstdint>
#include <string_view>

#include "rodeo/bindings.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/router/compile.hpp"

namespace rodeo::router {

enum class match_status : std::uint8_t {
  ok,
  bad_host,  ///< no host rule matches (400)
  no_path,   ///< the host matched, no path rule does (404)
  bad_path,  ///< the path is malformed: bad escape, no leading '/', ".." above root (400)
};

std::string_view to_string(match_status s) noexcept;

/// The status the router replies with on a failed match: 400 or 404; 0 for `ok`.
int http_status(match_status s) noexcept;

/// What matching found.
struct match_result {
  match_status status = match_status::bad_host;
  route_target target;  ///< the handler; null unless ok
  /// The rule that matched (pattern, middlewares, name), owned by the routes; null unless ok.
  const detail::compiled_path* rule = nullptr;
  rodeo::bindings bindings;      ///< host and path bindings, constraints applied
  rodeo::path_tokens host_info;  ///< labels matched by a host "[...]", left to right
  rodeo::path_tokens path_info;  ///< segments matched by a path "[...]", decoded, in order

  explicit operator bool() const noexcept { return status == match_status::ok; }
};

/// Matches `host` (a port and a trailing dot are ignored; the framework passes it lowercase)
/// and `path` (without the query) against `routes`.
[[nodiscard]] match_result match(const routes& routes, std::string_view host,
                                 std::string_view path);

}  // namespace rodeo::router
