#include "rodeo/internal/actor/request_actor.hpp"

#include <doctest/doctest.h>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "framework/req_fixture.hpp"
#include "rodeo/bad_request.hpp"
#include "rodeo/client_error.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/internal/actor/request_starter.hpp"
#include "rodeo/mw/handler.hpp"
#include "rodeo/mw/keys.hpp"
#include "rodeo/runtime.hpp"

using rodeo::test::req_fixture;

namespace {

std::atomic<int> crash_terminates{0};

// GET /double?n=N: n * 2, through match_qs.
struct double_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& r) override {
    auto qs = r.match_qs({{"n", {rodeo::http::int_c}}});
    r.reply(200, {}, std::to_string(std::any_cast<std::int64_t>(qs.at("n")) * 2));
    return rodeo::handler_result::ok;
  }
  void terminate(rodeo::terminate_reason why, rodeo::req&) override {
    if (why == rodeo::terminate_reason::crash) ++crash_terminates;
  }
};

using tick_atom = caf::atom_constant<caf::atom("tick")>;
std::atomic<int> timeout_terminates{0};

// A loop handler that replies after six ticks 100 ms apart, with a 300 ms loop timeout; or,
// with ticks = 0, never hears anything.
struct ticking_h : rodeo::handler_base {
  explicit ticking_h(int ticks) : wanted(ticks) {}
  rodeo::handler_result init(rodeo::req& r) override {
    if (wanted > 0)
      r.self()->delayed_send(r.self(), std::chrono::milliseconds(100), tick_atom::value);
    return rodeo::handler_result::loop;
  }
  rodeo::handler_result info(const caf::message& m, rodeo::req& r) override {
    if (!m.match_elements<tick_atom>()) return rodeo::handler_result::loop;
    if (++got < wanted) {
      r.self()->delayed_send(r.self(), std::chrono::milliseconds(100), tick_atom::value);
      return rodeo::handler_result::loop;
    }
    r.reply(200, {}, "ticks " + std::to_string(got));
    return rodeo::handler_result::ok;
  }
  std::chrono::milliseconds loop_timeout() const override { return std::chrono::milliseconds(300); }
  void terminate(rodeo::terminate_reason why, rodeo::req&) override {
    if (why == rodeo::terminate_reason::timeout) ++timeout_terminates;
  }
  int wanted, got = 0;
};

// The handler middleware after one that names `target` as the handler.
rodeo::middleware_chain chain_for(rodeo::route_target target) {
  return {rodeo::make_middleware([target](rodeo::req&, rodeo::env& e) {
            e.set(rodeo::mw::handler_key, target);
            return rodeo::middleware_result::next;
          }),
          std::make_shared<rodeo::mw::handler>()};
}

}  // namespace

TEST_CASE("request actor answers a bad_request with 400 and its message, and terminate runs") {
  auto sys = rodeo::make_actor_system(1);
  crash_terminates = 0;
  req_fixture f{"/double?n=abc"};
  auto cmds = rodeo::test::run_chain(*sys, f, chain_for(rodeo::handler<double_h>()));
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 400);
  CHECK(reply->fields == rodeo::headers{{"content-type", "text/plain"}});
  CHECK(reply->body == "query string field 'n': rejected by constraint 'int'\n");
  CHECK(crash_terminates == 1);

  req_fixture good{"/double?n=21"};
  cmds = rodeo::test::run_chain(*sys, good, chain_for(rodeo::handler<double_h>()));
  reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 200);
  CHECK(reply->body == "42");
}

TEST_CASE("request actor answers a bad_request thrown by a middleware with 400") {
  auto sys = rodeo::make_actor_system(1);
  req_fixture f{"/"};
  auto cmds = rodeo::test::run_chain(
      *sys, f, {rodeo::make_middleware([](rodeo::req&, rodeo::env&) -> rodeo::middleware_result {
        throw rodeo::bad_request("missing api key");
      })});
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 400);
  CHECK(reply->body == "missing api key\n");
}

TEST_CASE("request actor answers a client_error with its own status and message") {
  auto sys = rodeo::make_actor_system(1);
  req_fixture f{"/"};
  auto cmds = rodeo::test::run_chain(
      *sys, f, {rodeo::make_middleware([](rodeo::req&, rodeo::env&) -> rodeo::middleware_result {
        throw rodeo::client_error(415, "send application/json");
      })});
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 415);
  CHECK(reply->body == "send application/json\n");
}

TEST_CASE("request actor treats a bad_request after the response started as a crash") {
  auto sys = rodeo::make_actor_system(1);
  req_fixture f{"/"};
  auto cmds = rodeo::test::run_chain(
      *sys, f, {rodeo::make_middleware([](rodeo::req& r, rodeo::env&) -> rodeo::middleware_result {
        r.stream_reply(200);
        throw rodeo::bad_request("too late for a 400");
      })});
  REQUIRE(cmds.size() == 2);
  CHECK(std::holds_alternative<rodeo::cmd::stream_reply>(cmds[0]));
  CHECK(std::holds_alternative<rodeo::cmd::crash>(cmds[1]));
}

TEST_CASE("request actor still answers any other exception with a crash (500)") {
  auto sys = rodeo::make_actor_system(1);
  req_fixture f{"/"};
  auto cmds = rodeo::test::run_chain(
      *sys, f, {rodeo::make_middleware([](rodeo::req&, rodeo::env&) -> rodeo::middleware_result {
        throw std::invalid_argument("a handler bug");
      })});
  REQUIRE(cmds.size() == 1);
  CHECK(std::holds_alternative<rodeo::cmd::crash>(cmds[0]));
}

TEST_CASE("request actor loop timeout is idle time, every message restarts it") {
  auto sys = rodeo::make_actor_system(1);
  timeout_terminates = 0;
  req_fixture f{"/"};
  const auto started = std::chrono::steady_clock::now();
  auto cmds = rodeo::test::run_chain(*sys, f, chain_for(rodeo::handler<ticking_h>(6)));
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(600));
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 200);
  CHECK(reply->body == "ticks 6");
  CHECK(timeout_terminates == 0);
}

TEST_CASE("request actor ends a silent loop handler after its loop timeout with 204") {
  auto sys = rodeo::make_actor_system(1);
  timeout_terminates = 0;
  req_fixture f{"/"};
  const auto started = std::chrono::steady_clock::now();
  auto cmds = rodeo::test::run_chain(*sys, f, chain_for(rodeo::handler<ticking_h>(0)));
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(300));
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 204);
  CHECK(timeout_terminates == 1);
}

TEST_CASE("a request actor spawned on_first_message runs nothing until started") {
  auto sys = rodeo::make_actor_system(1);
  rodeo::request_starter starter{*sys};
  std::vector<req_fixture> fs;
  for (int n = 1; n <= 3; ++n) fs.emplace_back("/double?n=" + std::to_string(n));
  std::vector<caf::actor> actors;
  for (auto& f : fs) {
    auto job = std::make_shared<rodeo::request_job>();
    job->r = std::move(f.req);
    job->chain =
        std::make_shared<const rodeo::middleware_chain>(chain_for(rodeo::handler<double_h>()));
    actors.push_back(
        rodeo::spawn_request_actor(*sys, std::move(job), rodeo::actor_start::on_first_message));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  for (auto& f : fs) CHECK(f.sent().empty());  // not started: no reply yet

  auto batch = actors;
  starter.start(batch);  // three: one message to the starter actor, which starts each
  CHECK(batch.empty());
  for (std::size_t i = 0; i < actors.size(); ++i) {
    REQUIRE(rodeo::test::wait_ended(*sys, actors[i]));
    auto cmds = fs[i].sent();
    auto* reply = rodeo::test::only_reply(cmds);
    REQUIRE(reply != nullptr);
    CHECK(reply->body == std::to_string(2 * (i + 1)));
  }
}

TEST_CASE("a lazily spawned request actor starts with whatever message comes first") {
  auto sys = rodeo::make_actor_system(1);
  req_fixture f{"/double?n=21"};
  auto job = std::make_shared<rodeo::request_job>();
  job->r = std::move(f.req);
  job->chain =
      std::make_shared<const rodeo::middleware_chain>(chain_for(rodeo::handler<double_h>()));
  auto a = rodeo::spawn_request_actor(*sys, std::move(job), rodeo::actor_start::on_first_message);
  caf::anon_send(a, rodeo::drain_atom::value);  // not a start: it still starts the actor
  REQUIRE(rodeo::test::wait_ended(*sys, a));
  auto cmds = f.sent();
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->body == "42");
}
