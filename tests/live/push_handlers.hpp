#pragma once
/// \file
/// Routes of the live test server that exercise req.push: pages that push, the assets they
/// push (served by ordinary routes), and every no-op and error case of the push contract.

#include "rodeo/rodeo.hpp"
#include "rodeo/router/compile.hpp"

namespace live {

std::vector<rodeo::router::path_rule> push_routes();

/// A middleware that adds `x-mw: seen` to every response under /push/ (pushed ones too).
rodeo::middleware_ptr push_header_middleware();

/// Where /stats reads the listener's push funnel from.
void set_push_metrics(const rodeo::push_metrics* m);
std::string push_metrics_json();

}  // namespace live
