#pragma once
/// \file
/// The route target that serves a metrics registry in the Prometheus text exposition format
/// 0.0.4 (`content-type: text/plain; version=0.0.4; charset=utf-8`), what Prometheus,
/// VictoriaMetrics and Grafana Agent scrape:
///
///   auto metrics = std::make_shared<rodeo::metrics_registry>();
///   opts.metrics = metrics;  // the listener feeds it
///   paths.emplace_back("/metrics", rodeo::metrics_handler(metrics));
///
/// GET and HEAD only (405 with `allow` otherwise); the answer is never cached.

#include <memory>

#include "rodeo/handler.hpp"
#include "rodeo/metrics.hpp"

namespace rodeo {

/// The content type of the Prometheus text format this handler answers with.
inline constexpr std::string_view prometheus_content_type =
    "text/plain; version=0.0.4; charset=utf-8";

route_target metrics_handler(std::shared_ptr<const metrics_registry> registry);

}  // namespace rodeo
