#pragma once
/// \file
/// The env keys the default middlewares share: the router sets them, the handler middleware
/// reads them.

#include "rodeo/env.hpp"
#include "rodeo/handler.hpp"

namespace rodeo::mw {

/// The route's handler, set by the router middleware on a match.
inline const rodeo::env_key<rodeo::route_target> handler_key{"handler"};

}  // namespace rodeo::mw
