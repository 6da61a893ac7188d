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

TEST_CASE("trim does not drop output still queued in the session") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  // Nothing taken yet: the server SETTINGS are still queued in the session.
  e.trim();
  REQUIRE(exchange(c, e));
  auto* s = c.session();
  CHECK(nghttp2_session_get_remote_settings(s, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS) == 100);
  CHECK(c.frames_of(NGHTTP2_SETTINGS).size() == 2);
}
