#pragma once
/// \file
/// Cowboy's `cowboy_metrics_h` with its `metrics_callback`: calls a function with every
/// stream's end (status, bytes both ways, timings, protocol, reason). The callback runs on an
/// io thread, concurrently for different connections: it must be quick and thread-safe
/// (atomics, a lock-free queue, a message to an actor).
///
///   opts.stream_handlers.push_back(rodeo::metrics_stream_h([&](const rodeo::stream_end& e) {
///     requests.fetch_add(1);
///   }));
///
/// The overload taking a registry feeds a `metrics_registry` (rodeo/metrics.hpp); every
/// listener runs one for its own registry (listener_options::metrics), built in.

#include <functional>
#include <memory>

#include "rodeo/metrics.hpp"
#include "rodeo/stream_handler.hpp"

namespace rodeo {

stream_handler_factory metrics_stream_h(std::function<void(const stream_end&)> callback);

/// Records every stream's end in `registry` (metrics_registry::observe).
stream_handler_factory metrics_stream_h(std::shared_ptr<metrics_registry> registry);

}  // namespace rodeo
