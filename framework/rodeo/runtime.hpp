#pragma once
/// \file
/// Running Rodeo: the CAF actor system as request actors need it, and `serve`, which runs a
/// listener until SIGINT or SIGTERM and then stops it gracefully.

#include <caf/fwd.hpp>

#include <functional>
#include <memory>

#include "rodeo/listener.hpp"

namespace rodeo {

/// A CAF actor system with the `sharing` scheduler and `threads` workers (0: one per core).
/// STACK.md: work stealing costs ~130 µs of idle polling per hop and goes quadratic when
/// actors spawn in bursts; sharing does neither.
std::shared_ptr<caf::actor_system> make_actor_system(unsigned threads = 0);

/// Starts a listener with `opts`, calls `ready` with it, waits for SIGINT or SIGTERM, and
/// stops gracefully. Returns 0; on a bad configuration prints one line to stderr and
/// returns 2.
int serve(listener_options opts, std::function<void(const listener&)> ready = {});

}  // namespace rodeo
