#pragma once
/// \file
/// The request actor: one CAF actor per stream, pushed streams included. It runs the
/// middleware chain over (req, env), then stays alive while the handler waits for something
/// (its body, a drain notice, loop-handler messages) and ends when the response is complete.
///
/// What reaches it from its connection: body chunks (`body_atom`), drain notices
/// (`drain_atom`), its start (`start_atom`, see request_starter.hpp), and an exit message
/// when the client resets the stream or the connection closes. What it sends back: commands
/// through its req's stream_link.
///
/// A handler that throws costs one 500 (or a reset if its reply had started): the actor
/// catches, tells the connection, runs `terminate(crash)`, and quits. The connection and its
/// other streams go on.

#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include <memory>

#include "rodeo/error_page.hpp"
#include "rodeo/middleware.hpp"

namespace rodeo {

class req;

using body_atom = caf::atom_constant<caf::atom("rbody")>;
using drain_atom = caf::atom_constant<caf::atom("rdrain")>;
/// The first message of a request actor spawned with actor_start::on_first_message (any
/// message starts it; this one says nothing else).
using start_atom = caf::atom_constant<caf::atom("rstart")>;
/// The listener is stopping (graceful stop): a loop handler gets `on_shutdown`, then its
/// response is ended and `terminate(shutdown)` runs.
using shutdown_atom = caf::atom_constant<caf::atom("rshutdown")>;

/// Everything a request actor starts from (spawn arguments must be copyable, hence a
/// shared_ptr around the move-only req).
struct request_job {
  std::unique_ptr<req> r;
  std::shared_ptr<const middleware_chain> chain;
  /// The listener's error page (listener_options::error_page), null if none.
  std::shared_ptr<const error_page_fn> error_page;
};

/// When a request actor begins.
enum class actor_start {
  now,               ///< scheduled at spawn
  on_first_message,  ///< caf::lazy_init: scheduled by its first message (see request_starter)
};

/// Spawns the request actor for `job` on `sys`'s scheduler.
caf::actor spawn_request_actor(caf::actor_system& sys, std::shared_ptr<request_job> job,
                               actor_start when = actor_start::now);

}  // namespace rodeo
