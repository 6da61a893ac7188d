// The transport driver against a fake transport: back-pressure, write chunking, the send
// and linger timeouts, and failures, each completed by the test (no socket, no sleep).
#include <doctest/doctest.h>

#include <asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "framework/fake_transport.hpp"
#include "rodeo/internal/net/transport_driver.hpp"

namespace {

using namespace std::chrono_literals;
using rodeo::transport_driver;
using rodeo::test::fake_transport;
using rodeo::test::fake_wire;

// Records what the driver reports; reads again after each input and output event, as the
// connection does.
struct recorder final : transport_driver::user {
  transport_driver* d = nullptr;
  std::string alpn = "-", input;
  int progress = 0, ticks = 0, broken = 0;
  bool read_on_progress = true;
  void on_handshake(std::string_view a) override {
    alpn = std::string{a};
    d->read();
  }
  void on_input(std::string_view bytes) override {
    input += bytes;
    d->read();
  }
  void on_output_progress() override {
    ++progress;
    if (read_on_progress) d->read();
  }
  void on_tick(transport_driver::clock::time_point) override { ++ticks; }
  void on_broken() override {
    ++broken;
    d->close();
  }
};

struct rig {
  asio::io_context io;
  std::shared_ptr<fake_wire> wire = std::make_shared<fake_wire>();
  std::shared_ptr<recorder> user = std::make_shared<recorder>();
  std::unique_ptr<transport_driver> driver;

  explicit rig(transport_driver::options o = {}) {
    driver = std::make_unique<transport_driver>(io, std::make_unique<fake_transport>(io, wire), o);
    user->d = driver.get();
    driver->start(user);
    io.poll();  // the handshake
  }
  ~rig() {
    driver->close();
    io.restart();
    io.poll();  // operations in flight end with operation_aborted, releasing the user
  }
  // Runs handlers until `done` holds, one at a time, for at most 10 s (an upper bound for a
  // slow sanitizer build, not a timing).
  template <class F>
  bool run_until(F done) {
    auto until = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < until) {
      io.restart();
      io.run_one_for(100ms);
    }
    return done();
  }
};

}  // namespace

TEST_CASE("transport driver: the handshake reports ALPN and the first read starts") {
  asio::io_context io;
  auto wire = std::make_shared<fake_wire>();
  wire->alpn = "h2";
  auto user = std::make_shared<recorder>();
  transport_driver d(io, std::make_unique<fake_transport>(io, wire), {});
  user->d = &d;
  d.start(user);
  CHECK(user->alpn == "-");  // the handshake completes asynchronously
  io.poll();
  CHECK(user->alpn == "h2");
  CHECK(wire->reading());
  wire->deliver("abc");
  CHECK(user->input == "abc");
  CHECK(wire->reading());  // one read at a time, the next one started
  d.close();
  io.restart();
  io.poll();
}

TEST_CASE("transport driver: output above max_output stops reading until a write completes") {
  transport_driver::options o;
  o.max_output = 1000;
  rig r{o};
  r.user->read_on_progress = true;
  REQUIRE(r.wire->reading());
  r.wire->deliver("x");  // consumed; reading again
  REQUIRE(r.wire->reading());

  // Output the peer does not take: the first piece is in flight, more waits behind it.
  r.driver->outbox().text().assign(600, 'a');
  REQUIRE(r.driver->flush());
  r.driver->outbox().text().append(600, 'b');
  CHECK_FALSE(r.driver->flush());  // one write in flight at a time
  CHECK(r.driver->pending() == 1200);
  CHECK(r.driver->read_blocked());

  // The read in flight completes; the driver starts no new one while blocked.
  r.wire->deliver("y");
  CHECK_FALSE(r.wire->reading());

  // The peer takes the first write: below the limit, and the user's read goes through.
  REQUIRE(r.wire->complete_write());
  CHECK(r.user->progress == 1);
  CHECK(r.driver->pending() == 600);
  CHECK_FALSE(r.driver->read_blocked());
  CHECK(r.wire->reading());
  CHECK(r.wire->written == std::string(600, 'a'));
}

TEST_CASE("transport driver: a shared output budget blocks reading only with output pending") {
  std::atomic<std::size_t> shared{0};
  transport_driver::options o;
  o.output_budget = 100;
  o.shared_output = &shared;
  rig r{o};
  shared = 1000;                          // other connections' output fills the budget
  CHECK_FALSE(r.driver->read_blocked());  // nothing of ours waits: reading goes on
  r.driver->outbox().text() = "hello";
  REQUIRE(r.driver->flush());
  CHECK(r.driver->read_blocked());
  r.wire->complete_writes();
  CHECK_FALSE(r.driver->read_blocked());
}

TEST_CASE("transport driver: large output is written in pieces, each one progress") {
  rig r;
  r.user->read_on_progress = false;
  const auto size = transport_driver::write_chunk * 2 + 10;
  r.driver->outbox().text().assign(size, 'z');
  REQUIRE(r.driver->flush());
  REQUIRE(r.wire->writes.size() == 1);
  CHECK(r.wire->writes.front().bytes.size() == transport_driver::write_chunk);
  r.wire->complete_writes();
  CHECK(r.wire->written.size() == size);
  CHECK(r.user->progress == 3);
  CHECK(r.driver->flushed());
}

TEST_CASE("transport driver: shared pieces are written in order with the text around them") {
  rig r;
  r.user->read_on_progress = false;
  auto buf = std::make_shared<const std::string>(transport_driver::write_chunk + 100, 'S');
  r.driver->outbox().append("head:");
  r.driver->outbox().append_body(rodeo::body_bytes::share(buf));
  r.driver->outbox().append(":tail");
  REQUIRE(r.driver->flush());
  REQUIRE(r.wire->writes.size() == 1);
  CHECK(r.wire->writes.front().bytes.size() == transport_driver::write_chunk);
  r.wire->complete_writes();
  CHECK(r.wire->written == "head:" + *buf + ":tail");
  CHECK(r.user->progress == 2);
  CHECK(r.driver->flushed());
  CHECK(buf.use_count() == 1);  // written: the driver let go of the buffer
}

TEST_CASE("transport driver: a write without progress for send_timeout breaks the connection") {
  transport_driver::options o;
  o.tick = 5ms;
  o.send_timeout = 20ms;
  rig r{o};
  r.driver->outbox().text() = "never taken";
  REQUIRE(r.driver->flush());
  CHECK(r.run_until([&] { return r.user->broken > 0; }));
  CHECK(r.user->broken == 1);
  CHECK(r.wire->closed);
}

TEST_CASE("transport driver: the linger timeout bounds a flush the peer does not take") {
  transport_driver::options o;
  o.tick = 5ms;
  o.linger_timeout = 20ms;
  o.send_timeout = std::chrono::hours(1);
  rig r{o};
  r.driver->outbox().text() = "goodbye";
  REQUIRE(r.driver->flush());
  r.driver->linger();
  CHECK(r.run_until([&] { return r.user->broken > 0; }));
  CHECK(r.wire->closed);
}

TEST_CASE("transport driver: ticks reach the user while nothing is pending") {
  transport_driver::options o;
  o.tick = 5ms;
  o.send_timeout = 20ms;
  rig r{o};
  CHECK(r.run_until([&] { return r.user->ticks >= 3; }));
  CHECK(r.user->broken == 0);  // no write in flight: the send timeout does not apply
}

TEST_CASE("transport driver: the peer closing or a read error breaks the connection once") {
  rig r;
  REQUIRE(r.wire->reading());
  r.wire->deliver({}, asio::error::eof);
  CHECK(r.user->broken == 1);
  CHECK(r.wire->closed);
  r.driver->read();  // closed: no read starts
  CHECK_FALSE(r.wire->reading());
}

TEST_CASE("transport driver: operations completing after close do not reach the user") {
  rig r;
  r.driver->outbox().text() = "late";
  REQUIRE(r.driver->flush());
  r.driver->close();
  r.io.restart();
  r.io.poll();  // the aborted read and write complete
  CHECK(r.user->broken == 0);
  CHECK(r.user->progress == 0);
}
