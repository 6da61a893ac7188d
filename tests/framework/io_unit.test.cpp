// actor_placement::io_thread: request actors homed on an io thread's execution unit run in
// that thread's rounds, call their connection directly, keep their commands in order when a
// turn ran elsewhere, and move to CAF's workers after a turn longer than the time slice.
#include "rodeo/internal/actor/io_unit.hpp"

#include <doctest/doctest.h>

#include <caf/scheduled_actor.hpp>
#include <caf/send.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "framework/req_fixture.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/internal/actor/request_actor.hpp"
#include "rodeo/loop_handler.hpp"
#include "rodeo/mw/handler.hpp"
#include "rodeo/mw/keys.hpp"
#include "rodeo/runtime.hpp"

namespace {

using namespace std::chrono_literals;
using rodeo::test::req_fixture;
using step_atom = caf::atom_constant<caf::atom("step")>;

std::string thread_name() {
  std::ostringstream s;
  s << std::this_thread::get_id();
  return s.str();
}

// Streams one chunk per message naming the thread it ran on; replies at init.
struct steps_h : rodeo::handler_base {
  explicit steps_h(std::shared_ptr<std::promise<void>> worker_turn = nullptr,
                   std::chrono::microseconds busy = 0us)
      : worker_turn_(std::move(worker_turn)), busy_(busy) {}
  rodeo::handler_result init(rodeo::req& r) override {
    // Busy, not asleep: the turn outlasts the slice whatever the scheduler does.
    const auto until = std::chrono::steady_clock::now() + busy_;
    while (std::chrono::steady_clock::now() < until) {}
    r.stream_reply(200, {});
    r.stream_body("init " + thread_name() + "\n", false);
    return rodeo::handler_result::loop;
  }
  rodeo::handler_result info(const caf::message& m, rodeo::req& r) override {
    if (!m.match_elements<step_atom, std::string>()) return rodeo::handler_result::loop;
    const auto& label = m.get_as<std::string>(1);
    r.stream_body(label + " " + thread_name() + "\n", label == "last");
    if (label == "worker" && worker_turn_) worker_turn_->set_value();
    return label == "last" ? rodeo::handler_result::ok : rodeo::handler_result::loop;
  }

 private:
  std::shared_ptr<std::promise<void>> worker_turn_;
  std::chrono::microseconds busy_;
};

// Replies with the thread its init ran on, then keeps its promise.
struct where_h : rodeo::handler_base {
  explicit where_h(std::shared_ptr<std::promise<void>> ran) : ran_(std::move(ran)) {}
  rodeo::handler_result init(rodeo::req& r) override {
    r.stream_reply(200, {});
    r.stream_body("init " + thread_name() + "\n", true);
    ran_->set_value();
    return rodeo::handler_result::ok;
  }

 private:
  std::shared_ptr<std::promise<void>> ran_;
};

// Records each command with its stream.
struct sink final : rodeo::command_sink {
  void on_command(rodeo::stream_id id, rodeo::command c) override {
    if (auto* b = std::get_if<rodeo::cmd::body>(&c))
      bodies.push_back(std::to_string(id) + " " + std::string{b->data.view()});
  }
  std::vector<std::string> bodies;
};

// Request actors homed on one io unit, whose io thread is this test's thread.
struct homed {
  std::shared_ptr<caf::actor_system> sys = rodeo::make_actor_system(2);
  std::shared_ptr<asio::io_context> io = std::make_shared<asio::io_context>();
  rodeo::io_unit unit;
  std::shared_ptr<sink> got = std::make_shared<sink>();
  std::vector<caf::actor> actors;

  explicit homed(std::chrono::microseconds slice = 1s) : unit(*sys, *io, slice) {}
  ~homed() {
    for (auto& a : actors) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  }

  // Stream `id` runs `target`; started in the unit's next round.
  // `to_workers`: the route sets actor_placement_key to workers; `chain_ran_on` gets the
  // thread the middleware before the handler ran on.
  caf::actor spawn(rodeo::stream_id id, rodeo::route_target target, bool to_workers = false,
                   std::shared_ptr<std::string> chain_ran_on = nullptr) {
    auto push = std::make_shared<rodeo::push_state>(false, std::make_shared<rodeo::push_metrics>());
    auto link = std::make_shared<rodeo::stream_link>(got, io, id, push, &unit);
    auto job = std::make_shared<rodeo::request_job>();
    job->r = std::make_unique<rodeo::req>(rodeo::test::make_head("GET", "example.org", "/"), link,
                                          "127.0.0.1:50000", false);
    job->chain = std::make_shared<const rodeo::middleware_chain>(rodeo::middleware_chain{
        rodeo::make_middleware([target, to_workers, chain_ran_on](rodeo::req&, rodeo::env& e) {
          e.set(rodeo::mw::handler_key, target);
          if (to_workers) e.set(rodeo::mw::actor_placement_key, rodeo::actor_placement::workers);
          if (chain_ran_on) *chain_ran_on = thread_name();
          return rodeo::middleware_result::next;
        }),
        std::make_shared<rodeo::mw::handler>()});
    actors.push_back(
        rodeo::spawn_request_actor(*sys, std::move(job), rodeo::actor_start::now, &unit));
    return actors.back();
  }
  // Runs exactly one handler queued on the io thread.
  void run_one() {
    io->restart();
    io->run_one();
  }
  void poll() {
    io->restart();
    io->poll();
  }
};

}  // namespace

TEST_CASE("io_unit: a homed request actor runs on the io thread and calls its sink directly") {
  homed h;
  h.spawn(1, rodeo::handler<steps_h>());
  CHECK(h.got->bodies.empty());  // nothing runs until the io thread runs its round
  h.run_one();                   // the round, and nothing else: no post carries the commands
  REQUIRE(h.got->bodies.size() == 1);
  CHECK(h.got->bodies[0] == "1 init " + thread_name() + "\n");
  CHECK(rodeo::io_unit::current() == nullptr);  // only inside a round
  CHECK(h.unit.moved() == 0);
}

TEST_CASE("io_unit: after a turn on a CAF worker, later commands stay behind the posted ones") {
  auto worker_turn = std::make_shared<std::promise<void>>();
  auto ran = worker_turn->get_future();
  homed h;
  auto a = h.spawn(1, rodeo::handler<steps_h>(worker_turn));
  h.run_one();  // its init, on this thread
  REQUIRE(h.got->bodies.size() == 1);
  // A round is queued (another homed actor starts) before a turn on a worker posts its
  // command (stream_body, before the promise is kept)...
  h.spawn(2, rodeo::handler<steps_h>());
  rodeo::tell(a, nullptr, step_atom::value, std::string{"worker"});  // CAF's scheduler
  REQUIRE(ran.wait_for(5s) == std::future_status::ready);
  // (the worker's turn ends: the actor waits for a message again)
  auto* self = dynamic_cast<caf::scheduled_actor*>(caf::actor_cast<caf::abstract_actor*>(a));
  while (!self->mailbox().blocked()) std::this_thread::yield();
  // ...and the next message through the unit joins that round, ahead of the post.
  rodeo::tell(a, &h.unit, step_atom::value, std::string{"last"});
  h.poll();
  std::vector<std::string> first;
  for (const auto& b : h.got->bodies)
    if (b[0] == '1') first.push_back(b.substr(2, b.find(' ', 2) - 2));
  CHECK(first == std::vector<std::string>{"init", "worker", "last"});
  CHECK(h.got->bodies.size() == 4);  // stream 2's init too
}

TEST_CASE("io_unit: a turn longer than the time slice moves the actor to CAF's workers") {
  auto worker_turn = std::make_shared<std::promise<void>>();
  auto ran = worker_turn->get_future();
  homed h{1000us};
  auto a = h.spawn(1, rodeo::handler<steps_h>(worker_turn, 2000us));
  h.run_one();
  REQUIRE(h.got->bodies.size() == 1);
  CHECK(h.unit.moved() == 1);
  // Sent through the unit, yet it runs on a worker now, and posts its command.
  rodeo::tell(a, &h.unit, step_atom::value, std::string{"worker"});
  REQUIRE(ran.wait_for(5s) == std::future_status::ready);
  h.poll();
  REQUIRE(h.got->bodies.size() == 2);
  CHECK(h.got->bodies[1].rfind("1 worker ", 0) == 0);
  CHECK(h.got->bodies[1] != "1 worker " + thread_name() + "\n");
}

TEST_CASE("io_unit: a route placed on the workers runs its handler on a CAF worker") {
  auto ran = std::make_shared<std::promise<void>>();
  auto done = ran->get_future();
  auto chain_ran_on = std::make_shared<std::string>();
  homed h;
  h.spawn(1, rodeo::handler<where_h>(ran), true, chain_ran_on);
  h.run_one();  // the round: the middlewares run here, the handler does not
  CHECK(*chain_ran_on == thread_name());
  CHECK(h.got->bodies.empty());
  REQUIRE(done.wait_for(5s) == std::future_status::ready);
  h.poll();  // its command came by post
  REQUIRE(h.got->bodies.size() == 1);
  CHECK(h.got->bodies[0].rfind("1 init ", 0) == 0);
  CHECK(h.got->bodies[0] != "1 init " + thread_name() + "\n");
  CHECK(h.unit.moved() == 0);  // not for a long turn
}

TEST_CASE("io_unit: the placement key changes nothing for an actor on the workers") {
  auto ran = std::make_shared<std::promise<void>>();
  auto done = ran->get_future();
  auto sys = rodeo::make_actor_system(1);
  rodeo::test::req_fixture f{"/"};
  auto a =
      rodeo::test::start(*sys, f,
                         {rodeo::make_middleware([ran](rodeo::req&, rodeo::env& e) {
                            e.set(rodeo::mw::handler_key, rodeo::handler<where_h>(ran));
                            e.set(rodeo::mw::actor_placement_key, rodeo::actor_placement::workers);
                            return rodeo::middleware_result::next;
                          }),
                          std::make_shared<rodeo::mw::handler>()});
  REQUIRE(done.wait_for(5s) == std::future_status::ready);
  CHECK(rodeo::test::wait_ended(*sys, a));
  CHECK(f.sent().size() == 2);  // stream_reply, then the body
}
