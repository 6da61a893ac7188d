#pragma once
/// \file
/// Starts request actors in batches, off the io thread.
///
/// A request actor spawned the plain way is scheduled at once: a push onto CAF's run queue
/// and, when the workers sleep, a futex wake. Under h2load on /hello that took a fifth of the
/// io thread's time, and the io thread is what limits requests per second. So connections
/// spawn request actors lazily (actor_start::on_first_message), their io thread collects
/// those spawned while it works through one round of ready sockets (io_worker::to_start), and
/// hands them over here: one message to the starter actor per batch, which, on a CAF worker,
/// sends each its first message (start_atom). A request actor that receives a body chunk or
/// an exit first simply starts with that.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <vector>

namespace rodeo {

class request_starter {
 public:
  explicit request_starter(caf::actor_system& sys);
  ~request_starter();  // stops the starter actor
  request_starter(const request_starter&) = delete;
  request_starter& operator=(const request_starter&) = delete;

  /// Starts `actors` (request actors spawned with actor_start::on_first_message) and clears
  /// the vector: a single one directly, several through the starter actor.
  void start(std::vector<caf::actor>& actors) const;

 private:
  caf::actor actor_;
};

}  // namespace rodeo
