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

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/exit_reason.hpp>
#include <caf/fwd.hpp>
#include <caf/message.hpp>
#include <caf/message_id.hpp>
#include <caf/system_messages.hpp>

#include <memory>
#include <utility>

#include "rodeo/error_page.hpp"
#include "rodeo/middleware.hpp"

namespace rodeo {

class req;
class io_unit;

using body_atom = caf::atom_constant<caf::atom("rbody")>;
using drain_atom = caf::atom_constant<caf::atom("rdrain")>;
/// The first message of a request actor spawned with actor_start::on_first_message (any
/// message starts it; this one says nothing else).
using start_atom = caf::atom_constant<caf::atom("rstart")>;
/// The listener is stopping (graceful stop): a loop handler gets `on_shutdown`, then its
/// response is ended and `terminate(shutdown)` runs.
using shutdown_atom = caf::atom_constant<caf::atom("rshutdown")>;
/// A request actor that left its io thread (hop_to_workers) goes on with its handler.
using hop_atom = caf::atom_constant<caf::atom("rhop")>;

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

/// Spawns the request actor for `job`: on `sys`'s scheduler, or homed on the io thread's
/// execution unit `home` (actor_placement::io_thread), where the messages sent to it through
/// that unit run it.
caf::actor spawn_request_actor(caf::actor_system& sys, std::shared_ptr<request_job> job,
                               actor_start when = actor_start::now, io_unit* home = nullptr);

/// The handler middleware, for a route placed on the workers (actor_placement_key): if the
/// request actor `self` is running on its io thread, it stops there and continues on CAF's
/// workers, where the handler middleware runs again; true if so (the handler must not run now).
bool hop_to_workers(caf::event_based_actor* self, const middleware& handler_mw);
/// After a turn on an io unit in which `r` asked to hop: sends it on to CAF's workers.
void continue_on_workers(caf::resumable* r);

/// The io unit `r` runs on if it is a request actor homed on one, else null. Any thread.
io_unit* request_actor_home(caf::resumable* r) noexcept;
/// The request actor `r` runs on CAF's workers from now on (it took too long a turn).
void move_to_workers(caf::resumable* r) noexcept;

/// Sends `xs` to `a` without a sender, like caf::anon_send, through `eu`: with an io unit the
/// actor, if homed there, runs on that io thread; with null, on CAF's scheduler.
template <class... Ts>
void tell(const caf::actor& a, caf::execution_unit* eu, Ts&&... xs) {
  if (a)
    a->enqueue(nullptr, caf::make_message_id(), caf::make_message(std::forward<Ts>(xs)...), eu);
}

/// Stops `a` like caf::anon_send_exit(a, user_shutdown), through `eu` (see tell).
inline void tell_exit(const caf::actor& a, caf::execution_unit* eu) {
  if (a)
    a->enqueue(nullptr, caf::make_message_id(),
               caf::make_message(caf::exit_msg{a->address(), caf::exit_reason::user_shutdown}), eu);
}

}  // namespace rodeo
