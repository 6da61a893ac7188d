#pragma once
/// \file
/// A listener's shared state from its options: the part of listener::start that concerns no
/// socket, shared with rodeo::testing so that an in-process client runs the same chain,
/// stream handlers, limits and timeouts as a listener given the same options.

#include <caf/fwd.hpp>

#include <cstddef>
#include <memory>

#include "rodeo/internal/net/server_context.hpp"
#include "rodeo/listener.hpp"
#include "rodeo/result.hpp"

namespace rodeo {

/// Checks the options that concern no socket (the chain, timeouts, output limits, the access
/// log format) and builds the server context; moves the chain and stream handlers out of
/// `opts`. The error is one line naming the option.
result<std::shared_ptr<server_context>> make_server_context(caf::actor_system& sys,
                                                            listener_options& opts,
                                                            std::size_t max_connections);

}  // namespace rodeo
