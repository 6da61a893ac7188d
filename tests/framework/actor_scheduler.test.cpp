#include "rodeo/internal/actor/actor_scheduler.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include <doctest/doctest.h>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "rodeo/runtime.hpp"

// The scheduler make_actor_system installs: timeouts, delayed messages and request timeouts
// behave as with CAF's own clock, and only actors that set a timeout reach the clock thread.

using namespace std::chrono_literals;

namespace {

using done_atom = caf::atom_constant<caf::atom("done")>;
using ping_atom = caf::atom_constant<caf::atom("ping")>;

rodeo::lean_clock& lean(caf::actor_system& sys) {
  auto* clock = dynamic_cast<rodeo::lean_clock*>(&sys.clock());
  REQUIRE(clock != nullptr);
  return *clock;
}

// Waits (bounded) until the clock tracks `n` actors.
bool tracks(rodeo::lean_clock& clock, std::size_t n) {
  for (int i = 0; i < 200; ++i) {
    if (clock.tracked() == n) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

}  // namespace

TEST_CASE("make_actor_system runs actors on the lean clock") {
  auto sys = rodeo::make_actor_system(2);
  CHECK(tracks(lean(*sys), 0));
}

TEST_CASE("a receive timeout still fires, and its actor is forgotten when it ends") {
  auto sys = rodeo::make_actor_system(2);
  caf::scoped_actor self{*sys};
  auto waiter = caf::actor_cast<caf::actor>(self);
  // (Every spawned function here takes an argument besides `self`: CAF 0.17.6 spawns one
  // that takes none by dereferencing a null argument tuple.)
  sys->spawn(
      [waiter](caf::event_based_actor* a, int) -> caf::behavior {
        return {[](ping_atom) {}, caf::after(30ms) >>
                                      [a, waiter] {
                                        a->send(waiter, done_atom::value, std::string{"timed out"});
                                        a->quit();
                                      }};
      },
      0);
  const auto forwarded = lean(*sys).forwarded();
  std::string got;
  self->receive([&](done_atom, const std::string& s) { got = s; }, caf::after(5s) >> [] {});
  CHECK(got == "timed out");
  CHECK(tracks(lean(*sys), 0));
  CHECK(lean(*sys).forwarded() == forwarded + 1);  // its end cancelled its timeouts
}

TEST_CASE("an actor that never sets a timeout never reaches the clock") {
  auto sys = rodeo::make_actor_system(2);
  caf::scoped_actor self{*sys};
  auto waiter = caf::actor_cast<caf::actor>(self);
  const auto forwarded = lean(*sys).forwarded();
  std::vector<caf::actor> actors;
  for (int i = 0; i < 100; ++i)
    actors.push_back(
        sys->spawn([waiter](caf::event_based_actor* a,
                            int n) { a->send(waiter, done_atom::value, std::to_string(n)); },
                   i));
  int answers = 0;
  for (int i = 0; i < 100; ++i)
    self->receive([&](done_atom, const std::string&) { ++answers; }, caf::after(5s) >> [] {});
  CHECK(answers == 100);
  // All have ended (their cleanup ran) before their cancellations are counted.
  for (const auto& a : actors) self->monitor(a);
  actors.clear();
  int down = 0;
  for (int i = 0; i < 100; ++i)
    self->receive([&](const caf::down_msg&) { ++down; }, caf::after(5s) >> [] {});
  CHECK(down == 100);
  CHECK(lean(*sys).tracked() == 0);
  CHECK(lean(*sys).forwarded() == forwarded);  // no ended actor reached CAF's clock
}

TEST_CASE("delayed messages and request timeouts work") {
  auto sys = rodeo::make_actor_system(2);
  caf::scoped_actor self{*sys};
  self->delayed_send(self, 20ms, ping_atom::value);
  bool pinged = false;
  self->receive([&](ping_atom) { pinged = true; }, caf::after(5s) >> [] {});
  CHECK(pinged);

  // A request to an actor that never answers times out with an error.
  auto silent = sys->spawn(
      [](caf::event_based_actor*, int) -> caf::behavior {
        return {[](ping_atom) -> caf::result<void> { return caf::delegated<void>{}; }};
      },
      0);
  bool timed_out = false;
  self->request(silent, 30ms, ping_atom::value)
      .receive([&] {}, [&](caf::error&) { timed_out = true; });
  CHECK(timed_out);
  self->send_exit(silent, caf::exit_reason::user_shutdown);
}
