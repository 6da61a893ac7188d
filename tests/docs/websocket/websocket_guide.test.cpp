// The examples of docs/websocket.md, compiled and exercised. The code between
// "// guide: NAME begin" and "// guide: NAME end" is a ```cpp block of the page, verbatim up
// to whitespace: tests/docs/check_guide.py fails when the two drift apart. The callbacks are
// called directly here; tests/live/websocket_test.py drives the same shapes over sockets.
#include <doctest/doctest.h>

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>

#include <chrono>
#include <string>

#include "rodeo/req.hpp"
#include "rodeo/websocket/handshake.hpp"
#include "rodeo/websocket/websocket_handler.hpp"

namespace wsguide {

// guide: echo begin
struct echo_h : rodeo::websocket_handler {
  rodeo::handler_result init(rodeo::req& r) override {
    // Answer a plain GET like any handler; upgrade the rest.
    if (!rodeo::ws::is_upgrade(r.head())) {
      r.reply(426, {{"upgrade", "websocket"}}, "WebSocket only\n");
      return rodeo::handler_result::ok;
    }
    return upgrade(r, {.max_message_size = 64 * 1024, .compress = true, .protocols = {"echo.v1"}});
  }
  rodeo::ws::commands websocket_handle(const rodeo::ws::frame& f) override {
    using rodeo::ws::opcode;
    if (f.type == opcode::text && f.payload == "bye") return {rodeo::ws::close{1000, "bye"}};
    if (f.type == opcode::text || f.type == opcode::binary) return {f};
    return {};  // pings were answered already; pongs need nothing
  }
};
// in the route table: {"/ws/echo", rodeo::handler<echo_h>()}
// guide: echo end

// guide: ticker begin
using tick_atom = caf::atom_constant<caf::atom("tick")>;

struct ticker_h : rodeo::websocket_handler {
  rodeo::ws::commands websocket_init() override {
    self()->delayed_send(self(), std::chrono::seconds(1), tick_atom::value);
    return {rodeo::ws::text("ticking")};
  }
  rodeo::ws::commands websocket_info(const caf::message& msg) override {
    if (!msg.match_elements<tick_atom>()) return {};
    self()->delayed_send(self(), std::chrono::seconds(1), tick_atom::value);
    return {rodeo::ws::text("tick " + std::to_string(++n_))};
  }
  void terminate(const rodeo::ws::end& why) override {
    last_ = why;  // why: remote (the client closed, with why.code), closed (1006), ...
  }

 private:
  int n_ = 0;
  rodeo::ws::end last_;
};
// in the route table: {"/ws/ticker", rodeo::handler<ticker_h>()}
// guide: ticker end

}  // namespace wsguide

TEST_CASE("docs/websocket.md: the echo handler's answers") {
  wsguide::echo_h h;
  auto out = h.websocket_handle(rodeo::ws::text("hi"));
  REQUIRE(out.size() == 1);
  CHECK(std::get<rodeo::ws::frame>(out[0]).payload == "hi");
  auto bye = h.websocket_handle(rodeo::ws::text("bye"));
  REQUIRE(bye.size() == 1);
  CHECK(std::get<rodeo::ws::close>(bye[0]).code == 1000);
  CHECK(h.websocket_handle(rodeo::ws::pong("x")).empty());
}

TEST_CASE("docs/websocket.md: the ticker ignores other messages") {
  wsguide::ticker_h h;
  CHECK(h.websocket_info(caf::make_message(std::string{"other"})).empty());
}
