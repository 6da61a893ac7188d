#pragma once
/// \file
/// Routes of the live test server that exercise req.push: pages that push, the assets they
/// push (served by ordinary routes), and every no-op and error case of the push contract.

#include <optional>
#include <string_view>

#include "rodeo/rodeo.hpp"
#include "rodeo/router/compile.hpp"

namespace live {

std::vector<rodeo::router::path_rule> push_routes();

/// A middleware that adds `x-mw: seen` to every response under /push/ (pushed ones too), and
/// sets the route's push policy from `?policy=NAME`.
rodeo::middleware_ptr push_header_middleware();

/// Where /stats reads the listener's push funnel from.
void set_push_metrics(const rodeo::push_metrics* m);
std::string push_metrics_json();

/// A push policy by its name (push_or_hint, push_only, hint_only, off).
std::optional<rodeo::push_policy> parse_push_policy(std::string_view name);

}  // namespace live
