#pragma once
/// \file
/// The env keys the default middlewares share: the router sets them, the handler middleware
/// reads them.

#include "rodeo/actor_placement.hpp"
#include "rodeo/env.hpp"
#include "rodeo/handler.hpp"

namespace rodeo::mw {

/// The route's handler, set by the router middleware on a match.
inline const rodeo::env_key<rodeo::route_target> handler_key{"handler"};

/// A route's placement, over the listener's: a middleware before the handler middleware sets
/// it (a per-route middleware, say) to `workers` for a handler that blocks. On an `io_thread`
/// listener its request actor then leaves the io thread before the handler's init runs (the
/// middlewares before it ran there). `io_thread` on a `workers` listener changes nothing.
inline const rodeo::env_key<rodeo::actor_placement> actor_placement_key{"actor_placement"};

}  // namespace rodeo::mw
