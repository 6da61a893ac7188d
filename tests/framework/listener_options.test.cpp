#include <doctest/doctest.h>

#include <caf/actor_system.hpp>

#include <chrono>
#include <string>

#include "rodeo/listener.hpp"
#include "rodeo/runtime.hpp"

namespace {

rodeo::listener_options usable() {
  rodeo::listener_options o;
  o.port = 0;
  o.chain = {rodeo::make_middleware(
      [](rodeo::req&, rodeo::env&) { return rodeo::middleware_result::next; })};
  return o;
}

}  // namespace

TEST_CASE("listener start refuses unusable limits with one line naming the option") {
  using namespace std::chrono_literals;
  auto sys = rodeo::make_actor_system(1);
  auto o = usable();
  o.idle_timeout = -1ms;
  CHECK(rodeo::listener::start(*sys, o).error() == "idle_timeout must be above 0 ms (it is -1 ms)");
  o = usable();
  o.send_timeout = -5000ms;
  CHECK(rodeo::listener::start(*sys, o).error() ==
        "send_timeout must be above 0 ms (it is -5000 ms)");
  o = usable();
  o.max_connection_output = 0;
  CHECK(rodeo::listener::start(*sys, o).error() == "max_connection_output must be at least 1 byte");
  o = usable();
  o.linger_timeout = 0ms;
  CHECK(rodeo::listener::start(*sys, o).error() ==
        "linger_timeout must be above 0 ms (it is 0 ms)");
  o = usable();
  o.stop_timeout = 0ms;
  CHECK(rodeo::listener::start(*sys, o).error() == "stop_timeout must be above 0 ms (it is 0 ms)");
  o = usable();
  o.output_budget = o.max_connection_output - 1;
  CHECK(rodeo::listener::start(*sys, o).error() ==
        "output_budget (" + std::to_string(o.output_budget) +
            " bytes) must be at least max_connection_output (" +
            std::to_string(o.max_connection_output) + " bytes)");
  // The same options, usable: it starts (and stops).
  auto l = rodeo::listener::start(*sys, usable());
  REQUIRE(l);
  CHECK((*l)->port() != 0);
  (*l)->stop();
}
