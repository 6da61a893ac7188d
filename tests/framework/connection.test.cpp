// A whole connection (driver, selector, stream table, engines and real request actors) over
// a fake transport: the test delivers the peer's bytes and completes the writes, so
// sniffing, the h2c upgrade and back-pressure play out without a socket or a sleep.
#include <doctest/doctest.h>

#include <asio/post.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "framework/fake_transport.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/internal/net/connection.hpp"
#include "rodeo/mw/handler.hpp"
#include "rodeo/mw/keys.hpp"
#include "rodeo/req.hpp"
#include "rodeo/runtime.hpp"

namespace {

using namespace std::chrono_literals;
using rodeo::test::fake_transport;
using rodeo::test::fake_wire;

constexpr std::string_view preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

struct hello_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& r) override {
    const rodeo::headers text = {{"content-type", "text/plain"}};
    r.reply(200, text, "hello " + r.path());
    return rodeo::handler_result::ok;
  }
};

struct rig {
  std::shared_ptr<caf::actor_system> sys = rodeo::make_actor_system(1);
  std::shared_ptr<rodeo::server_context> ctx = std::make_shared<rodeo::server_context>(*sys);
  std::shared_ptr<rodeo::io_worker> worker = std::make_shared<rodeo::io_worker>();
  std::shared_ptr<fake_wire> wire = std::make_shared<fake_wire>();
  std::shared_ptr<rodeo::connection> conn;

  explicit rig(std::size_t max_output = 1024 * 1024) {
    rodeo::route_target target = rodeo::handler<hello_h>();
    ctx->chain = std::make_shared<const rodeo::middleware_chain>(
        rodeo::middleware_chain{rodeo::make_middleware([target](rodeo::req&, rodeo::env& e) {
                                  e.set(rodeo::mw::handler_key, target);
                                  return rodeo::middleware_result::next;
                                }),
                                std::make_shared<rodeo::mw::handler>()});
    ctx->stream_handlers.clear();  // no access log
    ctx->max_connections = 10;
    ctx->max_connection_output = max_output;
    ctx->open_connections = 1;  // as the listener counts it; ~connection uncounts it
    conn = std::make_shared<rodeo::connection>(ctx, worker,
                                               std::make_unique<fake_transport>(worker->io, wire));
    asio::post(worker->io, [c = conn] { c->start(); });
  }
  ~rig() {
    asio::post(worker->io, [c = conn] { c->close(); });
    conn.reset();
    worker->io.restart();
    worker->io.poll();
  }
  // Runs the io thread's handlers until `done` holds, for at most 10 s (request actors run
  // on CAF threads and post their commands here).
  template <class F>
  bool run_until(F done) {
    auto until = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < until) {
      worker->io.restart();
      worker->io.run_one_for(50ms);
    }
    return done();
  }
  // Completes writes until `what` was written (or the bound passes).
  bool written(std::string_view what) {
    return run_until([&] {
      wire->complete_writes();
      return wire->written.find(what) != std::string::npos;
    });
  }
};

}  // namespace

TEST_CASE("connection: clear-text HTTP/1.1 is sniffed and answered by a request actor") {
  rig r;
  REQUIRE(r.run_until([&] { return r.wire->reading(); }));
  r.wire->deliver("GET /one HTTP/1.1\r\nHost: h\r\n\r\n");
  REQUIRE(r.written("hello /one"));
  CHECK(r.wire->written.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(r.conn->awaiting_request() == false);
}

TEST_CASE("connection: an HTTP/2 preface split across reads selects HTTP/2") {
  rig r;
  REQUIRE(r.run_until([&] { return r.wire->reading(); }));
  CHECK(r.conn->awaiting_request());
  r.wire->deliver(preface.substr(0, 7));
  REQUIRE(r.run_until([&] { return r.wire->reading(); }));
  CHECK(r.wire->writes.empty());  // undecided: nothing said yet
  r.wire->deliver(preface.substr(7));
  // The server's SETTINGS frame (RFC 9113 §3.4): type 4 on stream 0.
  REQUIRE(r.run_until([&] { return !r.wire->writes.empty(); }));
  CHECK(static_cast<unsigned char>(r.wire->writes.front().bytes[3]) == 0x4);
  CHECK_FALSE(r.wire->closed);
}

TEST_CASE("connection: a bad preface is answered GOAWAY(PROTOCOL_ERROR), then closed") {
  rig r;
  REQUIRE(r.run_until([&] { return r.wire->reading(); }));
  r.wire->deliver("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n");
  REQUIRE(r.run_until([&] {
    r.wire->complete_writes();
    return r.wire->closed;
  }));
  // GOAWAY (type 7) with error code PROTOCOL_ERROR (1) at the end of its payload.
  auto at = r.wire->written.find(std::string{"\x07\x00\x00\x00\x00\x00", 6});
  REQUIRE(at != std::string::npos);
  CHECK(r.wire->written.substr(at + 6 + 4, 4) == std::string{"\x00\x00\x00\x01", 4});
}

TEST_CASE("connection: RFC 7540 §3.2 an h2c upgrade answers 101, then HTTP/2 on stream 1") {
  rig r;
  REQUIRE(r.run_until([&] { return r.wire->reading(); }));
  r.wire->deliver(
      "GET /up HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\n"
      "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
  REQUIRE(r.run_until([&] { return r.wire->reading(); }));
  r.wire->deliver(preface);
  REQUIRE(r.written("hello /up"));  // stream 1's DATA
  CHECK(r.wire->written.starts_with("HTTP/1.1 101 Switching Protocols\r\n"));
}

TEST_CASE("connection: output the peer does not take stops reading; taking it resumes") {
  rig r{16};  // max_connection_output: any response is above it
  REQUIRE(r.run_until([&] { return r.wire->reading(); }));
  r.wire->deliver("GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
  // The response goes to the socket and stays there: the peer does not read.
  REQUIRE(r.run_until([&] { return !r.wire->writes.empty(); }));
  // The read that was in flight completes; no new one starts while the write is pending.
  REQUIRE(r.wire->reading());
  r.wire->deliver("GET /b HTTP/1.1\r\nHost: h\r\n\r\n");
  CHECK_FALSE(r.wire->reading());
  // The peer takes the output: reading resumes and the pipelined request is answered.
  REQUIRE(r.written("hello /b"));
  CHECK(r.run_until([&] { return r.wire->reading(); }));
}
