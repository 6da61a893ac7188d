// stream_body back-pressure in the request actor: a loop handler that streams a piece per
// message without waiting for drains is held once req::stream_output_window bytes are out,
// and goes on when the connection says the stream drained.
#include <doctest/doctest.h>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "framework/req_fixture.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/mw/handler.hpp"
#include "rodeo/mw/keys.hpp"
#include "rodeo/runtime.hpp"

namespace {

using more_atom = caf::atom_constant<caf::atom("more")>;
constexpr std::size_t piece = 16 * 1024;

struct firehose_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& r) override {
    r.stream_reply(200, {});
    r.self()->send(r.self(), more_atom::value);
    return rodeo::handler_result::loop;
  }
  rodeo::handler_result info(const caf::message&, rodeo::req& r) override {
    r.stream_body(std::string(piece, 'f'));
    r.self()->send(r.self(), more_atom::value);
    return rodeo::handler_result::loop;
  }
};

rodeo::middleware_chain chain_for(rodeo::route_target target) {
  return {rodeo::make_middleware([target](rodeo::req&, rodeo::env& e) {
            e.set(rodeo::mw::handler_key, target);
            return rodeo::middleware_result::next;
          }),
          std::make_shared<rodeo::mw::handler>()};
}

// Collects the commands until `watches` watch_drain commands were seen or `limit` passed.
struct tally {
  std::size_t body_bytes = 0, watches = 0;
  void add(const std::vector<rodeo::command>& cmds) {
    for (const auto& c : cmds) {
      if (auto* b = std::get_if<rodeo::cmd::body>(&c)) body_bytes += b->data.size();
      if (std::holds_alternative<rodeo::cmd::watch_drain>(c)) ++watches;
    }
  }
};

bool collect_until(rodeo::test::req_fixture& f, tally& t, std::size_t watches,
                   std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  // A handler that is never held would stream without end: stop counting long before.
  while (t.watches < watches && t.body_bytes < 64 * rodeo::req::stream_output_window &&
         std::chrono::steady_clock::now() < deadline) {
    t.add(f.sent());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return t.watches >= watches;
}

}  // namespace

TEST_CASE("stream_body holds a loop handler's messages once the stream window is out") {
  auto sys = rodeo::make_actor_system(1);
  rodeo::test::req_fixture f{"/firehose"};
  auto a = rodeo::test::start(*sys, f, chain_for(rodeo::handler<firehose_h>()));
  tally t;
  REQUIRE(collect_until(f, t, 1));
  const auto window = rodeo::req::stream_output_window;
  CHECK(t.body_bytes >= window);
  CHECK(t.body_bytes < window + piece);

  // Held: nothing more comes while no drain notice arrives (a bounded look, since what is
  // checked is that nothing happens).
  auto before = t.body_bytes;
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    t.add(f.sent());
  }
  CHECK(t.body_bytes == before);

  // The connection says the stream drained: the held message runs, the next window goes out.
  caf::anon_send(a, rodeo::drain_atom::value);
  REQUIRE(collect_until(f, t, 2));
  CHECK(t.body_bytes >= 2 * window);
  CHECK(t.body_bytes < 2 * window + 2 * piece);

  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(rodeo::test::wait_ended(*sys, a));
}
