// The HTTP/2 engine's flow-control bookkeeping for the connection's send timeout: which
// streams are held back by the peer's window (RFC 9113 §5.2), the reset with a chosen error
// code, and the total the connection counts against its output limits.
#include <doctest/doctest.h>

#include "h2_client.hpp"
#include "rodeo/internal/protocol/http2/engine.hpp"

using namespace rodeo;
using rodeo::test::client;
using rodeo::test::exchange;
using rodeo::test::recorder;

TEST_CASE("RFC 9113 §5.2 flow_blocked: data queued behind a stream window of zero") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client::config cfg;
  cfg.settings = {{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 0}};
  cfg.auto_window_update = false;
  client c{cfg};
  auto id = c.get("/");
  CHECK(exchange(c, e));
  CHECK_FALSE(e.flow_blocked(id));  // nothing to send yet
  e.stream_reply(id, 200, {});
  e.stream_body(id, std::string(1000, 'a'), false);
  CHECK(exchange(c, e));
  CHECK(e.queued_bytes(id) == 1000);
  CHECK(e.flow_blocked(id));
  CHECK_FALSE(e.connection_window_closed());  // only the stream's window is shut
  CHECK(e.queued_total() == 1000);

  nghttp2_submit_window_update(c.session(), NGHTTP2_FLAG_NONE, id, 1000);
  CHECK(exchange(c, e));
  CHECK(e.queued_bytes(id) == 0);
  CHECK_FALSE(e.flow_blocked(id));
  CHECK(e.queued_total() == 0);
  CHECK(e.open_streams() == 1);
}

TEST_CASE("RFC 9113 §6.9.1 connection_window_closed: the connection window spent") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client::config cfg;
  cfg.auto_window_update = false;  // 65535 for the connection, never opened again
  client c{cfg};
  auto a = c.get("/a");
  auto b = c.get("/b");
  CHECK(exchange(c, e));
  e.reply(a, 200, {}, std::string(65535, 'a'));
  CHECK(exchange(c, e));
  CHECK(e.connection_window_closed());
  e.stream_reply(b, 200, {});
  e.stream_body(b, "more", false);
  CHECK(exchange(c, e));
  CHECK(e.flow_blocked(b));  // its own window is open, the connection's is not
  CHECK_FALSE(e.flow_blocked(a));
}

TEST_CASE("RFC 9113 §7 reset_stream with CANCEL for a stream the peer stopped reading") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client::config cfg;
  cfg.settings = {{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 0}};
  cfg.auto_window_update = false;
  client c{cfg};
  auto id = c.get("/");
  CHECK(exchange(c, e));
  e.stream_reply(id, 200, {});
  e.stream_body(id, std::string(1000, 'a'), false);
  CHECK(exchange(c, e));
  e.reset_stream(id, NGHTTP2_CANCEL);
  CHECK(exchange(c, e));
  auto rst = c.frames_of(NGHTTP2_RST_STREAM, id);
  REQUIRE(rst.size() == 1);
  CHECK(rst[0].error_code == NGHTTP2_CANCEL);
  CHECK(ev.log == std::vector<std::string>{"request 1", "reset 1 8"});
  CHECK(e.queued_total() == 0);
}

TEST_CASE("time_out sends GOAWAY(NO_ERROR)") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  CHECK(exchange(c, e));
  e.time_out();
  CHECK(exchange(c, e));
  auto goaway = c.frames_of(NGHTTP2_GOAWAY);
  REQUIRE(goaway.size() == 1);
  CHECK(goaway[0].error_code == NGHTTP2_NO_ERROR);
  CHECK(e.should_close());
}
