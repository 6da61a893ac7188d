#include "rodeo/internal/actor/request_starter.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include <utility>

#include "rodeo/internal/actor/request_actor.hpp"

namespace rodeo {

namespace {

// (The unused argument: CAF 0.17.6 spawns a function that takes nothing but `self` by
// dereferencing a null argument tuple.)
caf::behavior starter(caf::event_based_actor*, int) {
  return {[](const std::vector<caf::actor>& batch) {
    for (const auto& a : batch) caf::anon_send(a, start_atom::value);
  }};
}

}  // namespace

request_starter::request_starter(caf::actor_system& sys) : actor_(sys.spawn(starter, 0)) {}

request_starter::~request_starter() {
  caf::anon_send_exit(actor_, caf::exit_reason::user_shutdown);
}

void request_starter::start(std::vector<caf::actor>& actors) const {
  if (actors.size() == 1)
    caf::anon_send(actors.front(), start_atom::value);
  else if (actors.size() > 1)
    caf::anon_send(actor_, std::move(actors));
  actors.clear();
}

}  // namespace rodeo
