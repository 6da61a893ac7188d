// What an idle HTTP/2 engine keeps in memory (session_memory.hpp): the pages of nghttp2's
// outbound frame buffer go back to the system on trim() once the session has nothing left
// to send, and the session works on as before afterwards. Residency comes from mincore(2):
// no timing involved.
#include <doctest/doctest.h>

#include "h2_client.hpp"
#include "rodeo/internal/protocol/http2/engine.hpp"

using namespace rodeo;
using rodeo::test::client;
using rodeo::test::exchange;
using rodeo::test::recorder;

TEST_CASE("an idle session's pooled pages are not resident after trim") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  REQUIRE(exchange(c, e));
  // The frame buffer (5 pages) and the stream map (1 page) are pooled; the SETTINGS frames
  // went through the frame buffer's first page.
  CHECK(e.session_pooled_bytes() == 6 * 4096);
  CHECK(e.session_resident_frame_buffer() == 4096);
  e.trim();
  CHECK(e.session_resident_frame_buffer() == 0);
  // Everything nghttp2 still holds in the C library's blocks: the session itself and the two
  // HPACK tables' rings.
  CHECK(e.session_bytes() - e.session_pooled_bytes() < 6 * 1024);
}

TEST_CASE("a session serves requests after trim, and trims again when idle") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  REQUIRE(exchange(c, e));
  e.trim();
  for (int i = 0; i < 3; ++i) {
    auto id = c.get("/" + std::to_string(i), {{"x-big", std::string(3000, 'a' + i)}});
    REQUIRE(exchange(c, e));
    e.reply(id, 200, {{"x-echo", std::string(3000, 'a' + i)}}, std::string(40000, 'z'));
    // Not idle: a reply is queued, trim leaves the frame buffer alone.
    e.trim();
    REQUIRE(exchange(c, e));
    auto& r = c.responses[id];
    CHECK(r.closed);
    CHECK(r.body == std::string(40000, 'z'));
    REQUIRE(r.blocks.size() == 1);
    CHECK(r.blocks[0][1] == header{"x-echo", std::string(3000, 'a' + i)});
    CHECK(e.open_streams() == 0);
    CHECK(e.session_resident_frame_buffer() > 0);
    e.trim();
    CHECK(e.session_resident_frame_buffer() == 0);
  }
  CHECK(ev.done.size() == 3);
  CHECK(ev.resets.empty());
}

TEST_CASE("trim does not drop output the engine holds") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  // The client's preface is fed, its answer (the server SETTINGS, the ACK) not taken yet.
  REQUIRE(e.feed(c.send()));
  e.trim();
  REQUIRE(exchange(c, e));
  auto* s = c.session();
  CHECK(nghttp2_session_get_remote_settings(s, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS) == 100);
  CHECK(c.frames_of(NGHTTP2_SETTINGS).size() == 2);
}

TEST_CASE("trim between two bursts of a push keeps the frame nghttp2 holds") {
  // A push runs ahead of a parent with nothing to send: its output goes in bursts, and a
  // DATA frame whose header is in nghttp2's frame buffer waits for the next take_output.
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto parent = c.get("/");
  REQUIRE(exchange(c, e));
  request_head promised;
  promised.method = "GET";
  promised.scheme = "https";
  promised.authority = "example.com";
  promised.path = "/big.js";
  promised.version = "HTTP/2";
  auto pushed = e.push_promise(parent, promised);
  REQUIRE(pushed == 2);
  e.reply(pushed, 200, {}, std::string(60000, 'x'));
  std::string down;
  e.take_output(down);  // the PUSH_PROMISE
  c.recv(down);
  down.clear();
  e.take_output(down);  // one burst of the push
  REQUIRE(down.size() < 60000);
  c.recv(down);
  e.trim();
  e.reply(parent, 200, {}, "<html>");
  REQUIRE(exchange(c, e));
  CHECK(c.responses[1].body == "<html>");
  CHECK(c.responses[2].body == std::string(60000, 'x'));
  CHECK(ev.resets.empty());
}
