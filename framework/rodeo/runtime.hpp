#pragma once
/// \file
/// Running Rodeo: the CAF actor system as request actors need it, and `serve`, which runs a
/// listener until SIGINT or SIGTERM and then stops it gracefully.

#include <caf/fwd.hpp>

#include <csignal>
#include <functional>
#include <memory>

#include "rodeo/listener.hpp"

namespace rodeo {

/// A CAF actor system with the `sharing` scheduler and `threads` workers (0: one per core).
/// STACK.md: work stealing costs ~130 µs of idle polling per hop and goes quadratic when
/// actors spawn in bursts; sharing does neither.
std::shared_ptr<caf::actor_system> make_actor_system(unsigned threads = 0);

/// The stop signals of a server program. Construct it first in main, before any thread
/// starts (the actor system's included): it blocks SIGINT and SIGTERM so that every thread
/// inherits the mask and only `wait` sees them, and ignores SIGPIPE (a peer that closed is a
/// write error, not the end of the process).
class stop_signals {
 public:
  stop_signals();
  /// Blocks until SIGINT or SIGTERM arrives, logs it, and returns its number.
  int wait();

 private:
  sigset_t set_;
};

/// Starts a listener with `opts`, calls `ready` with it, waits for SIGINT or SIGTERM, and
/// stops gracefully. Returns 0; on a bad configuration prints one line to stderr and
/// returns 2.
int serve(listener_options opts, std::function<void(const listener&)> ready = {});

}  // namespace rodeo
