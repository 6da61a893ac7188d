#pragma once
/// \file
/// Routes of the live test server for routing, middleware and handler kinds: a second host
/// rule with an int binding, a path-rewriting middleware, match_qs, cookies, Accept, a loop
/// handler answered by another actor and one that times out.

#include "rodeo/rodeo.hpp"
#include "rodeo/router/compile.hpp"

namespace live {

/// The host rule for "api.localhost": `/v/:n` (n an int) replies with the binding. It comes
/// before the catch-all host rule, so other paths on that host are 404.
rodeo::router::host_rule api_host_rule();

/// Path rules for the catch-all host: /qs, /cookie/set, /cookie/echo, /negotiate, /relay,
/// /loop-timeout.
std::vector<rodeo::router::path_rule> routing_routes();

/// A middleware before the router: "/old/..." is served as "/hello/...".
rodeo::middleware_ptr rewrite_middleware();

}  // namespace live
