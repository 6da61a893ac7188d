// The HTTP/2 engine as a connection sees it: preface, requests, replies, streams, shutdown,
// h2c upgrade, and the denial-of-service limits. Driven by an nghttp2 client in memory.
#include "rodeo/internal/protocol/http2/engine.hpp"

#include <doctest/doctest.h>

#include "h2_client.hpp"

using namespace rodeo;
using rodeo::test::client;
using rodeo::test::exchange;
using rodeo::test::field;
using rodeo::test::recorder;

namespace {

std::string bytes(std::initializer_list<int> v) {
  std::string s;
  for (int b : v) s += static_cast<char>(b);
  return s;
}

}  // namespace

TEST_CASE("RFC 9113 §3.4 server preface is SETTINGS with the limits") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  std::string out;
  e.take_output(out);
  // MAX_CONCURRENT_STREAMS 100, INITIAL_WINDOW_SIZE 65535, MAX_HEADER_LIST_SIZE 16384,
  // ENABLE_CONNECT_PROTOCOL 1 (RFC 8441 §3); no ENABLE_PUSH (a client setting).
  // clang-format off
  CHECK(out == bytes({0, 0, 24, 4, 0, 0, 0, 0, 0,
                      0, 3, 0, 0, 0, 100,
                      0, 4, 0, 0, 0xff, 0xff,
                      0, 6, 0, 0, 0x40, 0x00,
                      0, 8, 0, 0, 0, 1}));
  // clang-format on
  CHECK(e.name() == "h2");
  CHECK_FALSE(e.should_close());
}

TEST_CASE("RFC 9113 §6.5 the client sees the server SETTINGS and gets an ACK") {
  recorder ev;
  protocol_limits limits;
  limits.max_concurrent_streams = 7;
  limits.initial_window_size = 1 << 20;
  limits.max_header_block = 8000;
  http2::engine e{ev, limits, true};
  client c;
  CHECK(exchange(c, e));
  auto* s = c.session();
  CHECK(nghttp2_session_get_remote_settings(s, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS) == 7);
  CHECK(nghttp2_session_get_remote_settings(s, NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE) == 1 << 20);
  CHECK(nghttp2_session_get_remote_settings(s, NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE) == 8000);
  auto settings = c.frames_of(NGHTTP2_SETTINGS);
  REQUIRE(settings.size() == 2);
  CHECK(settings[0].flags == 0);
  CHECK(settings[1].flags == NGHTTP2_FLAG_ACK);
  // A stream window above 65535 opens the connection window as wide (RFC 9113 §6.9.2).
  auto updates = c.frames_of(NGHTTP2_WINDOW_UPDATE, 0);
  REQUIRE(updates.size() == 1);
  CHECK(nghttp2_session_get_remote_window_size(s) == 1 << 20);
  CHECK(nghttp2_session_get_remote_settings(s, NGHTTP2_SETTINGS_ENABLE_PUSH) == 1);
  CHECK(ev.log.empty());
}

TEST_CASE("RFC 9113 §8.3.1 request pseudo-headers become the request head") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/hats/prices?color=red&size=7",
                  {{"accept", "text/html"}, {"user-agent", "t/1"}, {"content-length", "0"}});
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 1);
  auto& [rid, head] = ev.requests[0];
  CHECK(rid == id);
  CHECK(id == 1);
  CHECK(head.method == "GET");
  CHECK(head.scheme == "https");
  CHECK(head.authority == "example.com");
  CHECK(head.path == "/hats/prices");
  CHECK(head.qs == "color=red&size=7");
  CHECK(head.version == "HTTP/2");
  CHECK(head.fields ==
        headers{{"accept", "text/html"}, {"user-agent", "t/1"}, {"content-length", "0"}});
  CHECK(head.content_length == 0u);
  CHECK_FALSE(head.has_body);
  CHECK(ev.bodies.empty());
  CHECK(e.open_streams() == 1);
}

TEST_CASE("RFC 9113 §8.3.1 host gives the authority when :authority is absent") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, false};
  client c;
  c.request({{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {"host", "h.example:8080"}});
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 1);
  auto& head = ev.requests[0].second;
  CHECK(head.authority == "h.example:8080");
  CHECK(head.path == "/");
  CHECK(head.qs == "");
  CHECK(head.fields == headers{{"host", "h.example:8080"}});
  CHECK_FALSE(head.content_length.has_value());
}

TEST_CASE("RFC 9113 §8.5 CONNECT has an authority and no scheme or path") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  c.request({{":method", "CONNECT"}, {":authority", "backend.example:443"}});
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 1);
  auto& head = ev.requests[0].second;
  CHECK(head.method == "CONNECT");
  CHECK(head.authority == "backend.example:443");
  CHECK(head.scheme == "https");  // the transport's
  CHECK(head.path == "");
  CHECK_FALSE(head.has_body);  // END_STREAM on HEADERS
}

TEST_CASE("RFC 9113 §8.2.3 cookie crumbs are joined into one field") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  c.get("/", {{"cookie", "a=1"}, {"accept", "*/*"}, {"cookie", "b=2"}, {"cookie", "c=3"}});
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 1);
  CHECK(ev.requests[0].second.fields == headers{{"cookie", "a=1; b=2; c=3"}, {"accept", "*/*"}});
}

TEST_CASE("RFC 9113 §8.1 reply sends status, content-length and body") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/");
  CHECK(exchange(c, e));
  e.reply(id, 200, {{"Content-Type", "text/plain"}, {"connection", "close"}}, "hello");
  CHECK(e.queued_bytes(id) == 5);
  CHECK(exchange(c, e));
  auto& r = c.responses[id];
  // Names lowercased, connection-specific fields dropped (RFC 9113 §8.2.2).
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0] ==
        headers{{":status", "200"}, {"content-type", "text/plain"}, {"content-length", "5"}});
  CHECK(r.body == "hello");
  CHECK(r.closed);
  CHECK(r.close_code == NGHTTP2_NO_ERROR);
  auto data = c.frames_of(NGHTTP2_DATA, id);
  REQUIRE(data.size() == 1);
  CHECK(data[0].length == 5);
  CHECK(data[0].end_stream());
  CHECK(ev.done == std::vector<stream_id>{1});
  CHECK(ev.resets.empty());
  CHECK(e.open_streams() == 0);
  CHECK(e.queued_bytes(id) == 0);
}

TEST_CASE("RFC 9113 §8.1 an empty reply ends the stream on HEADERS") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/");
  CHECK(exchange(c, e));
  e.reply(id, 404, {{"content-length", "99"}}, "");
  CHECK(exchange(c, e));
  auto& r = c.responses[id];
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0] == headers{{":status", "404"}, {"content-length", "0"}});
  auto hs = c.frames_of(NGHTTP2_HEADERS, id);
  REQUIRE(hs.size() == 1);
  CHECK(hs[0].end_stream());
  CHECK(c.frames_of(NGHTTP2_DATA, id).empty());
  CHECK(ev.done == std::vector<stream_id>{1});
}

TEST_CASE("RFC 9110 §9.3.2 HEAD reply has the length of the body but no content") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.request(
      {{":method", "HEAD"}, {":scheme", "https"}, {":authority", "example.com"}, {":path", "/"}});
  CHECK(exchange(c, e));
  e.reply(id, 200, {{"content-type", "text/html"}}, "<html></html>");
  CHECK(exchange(c, e));
  auto& r = c.responses[id];
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0] ==
        headers{{":status", "200"}, {"content-type", "text/html"}, {"content-length", "13"}});
  CHECK(r.body == "");
  CHECK(c.frames_of(NGHTTP2_DATA, id).empty());
  CHECK(c.frames_of(NGHTTP2_HEADERS, id).at(0).end_stream());
  CHECK(ev.done == std::vector<stream_id>{1});
}

TEST_CASE("RFC 9110 §15.3.5 204 carries neither content-length nor content") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/");
  CHECK(exchange(c, e));
  e.reply(id, 204, {{"x-a", "1"}}, "ignored");
  CHECK(exchange(c, e));
  auto& r = c.responses[id];
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0] == headers{{":status", "204"}, {"x-a", "1"}});
  CHECK(r.body == "");
  CHECK(r.closed);
}

TEST_CASE("RFC 9113 §5.1.2 concurrent streams answered out of order") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  std::vector<std::int32_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(c.get("/" + std::to_string(i)));
  CHECK(ids == std::vector<std::int32_t>{1, 3, 5, 7, 9});
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(ev.requests[i].first == ids[i]);
    CHECK(ev.requests[i].second.path == "/" + std::to_string(i));
  }
  CHECK(e.open_streams() == 5);
  for (int i = 4; i >= 0; --i) {
    e.reply(ids[i], 200, {}, "body " + std::to_string(i));
    CHECK(exchange(c, e));
  }
  for (int i = 0; i < 5; ++i) CHECK(c.responses[ids[i]].body == "body " + std::to_string(i));
  CHECK(ev.done == std::vector<stream_id>{9, 7, 5, 3, 1});
  CHECK(e.open_streams() == 0);
}

TEST_CASE("RFC 9113 §5.1.2 a stream above MAX_CONCURRENT_STREAMS is refused") {
  recorder ev;
  protocol_limits limits;
  limits.max_concurrent_streams = 2;
  http2::engine e{ev, limits, true};
  // Raw frames: an nghttp2 client would hold the third request back. HPACK static table
  // only (:method GET, :scheme http, :path /), END_STREAM | END_HEADERS.
  std::string in = NGHTTP2_CLIENT_MAGIC;
  in += test::frame(NGHTTP2_SETTINGS, 0, 0, "");
  for (int id : {1, 3, 5})
    in += test::frame(NGHTTP2_HEADERS, NGHTTP2_FLAG_END_STREAM | NGHTTP2_FLAG_END_HEADERS, id,
                      std::string("\x82\x86\x84\x01\x0b") + "example.com");  // :authority
  CHECK(e.feed(in));
  REQUIRE(ev.requests.size() == 2);
  CHECK(ev.requests[0].first == 1);
  CHECK(ev.requests[1].first == 3);
  std::string out;
  e.take_output(out);
  auto frames = test::parse_frames(out);
  REQUIRE(frames.size() == 3);  // SETTINGS, SETTINGS ACK, RST_STREAM
  CHECK(frames[2].type == NGHTTP2_RST_STREAM);
  CHECK(frames[2].stream == 5);
  CHECK(frames[2].payload == std::string("\0\0\0\7", 4));  // REFUSED_STREAM
  CHECK(e.open_streams() == 2);
}

TEST_CASE("RFC 9113 §6.8 shutdown sends GOAWAY with the last processed stream") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  c.get("/a");
  c.get("/b");
  CHECK(exchange(c, e));
  CHECK_FALSE(e.going_away());
  e.shutdown();
  CHECK(e.going_away());
  CHECK(exchange(c, e));
  auto goaway = c.frames_of(NGHTTP2_GOAWAY);
  REQUIRE(goaway.size() == 1);
  CHECK(goaway[0].error_code == NGHTTP2_NO_ERROR);
  CHECK(goaway[0].last_stream == 3);
  CHECK_FALSE(e.should_close());  // streams 1 and 3 still need their responses
  e.reply(1, 200, {}, "a");
  CHECK(exchange(c, e));
  CHECK_FALSE(e.should_close());
  e.reply(3, 200, {}, "b");
  CHECK(exchange(c, e));
  CHECK(c.responses[3].body == "b");
  CHECK(ev.done == std::vector<stream_id>{1, 3});
  CHECK(e.should_close());
  CHECK(ev.requests.size() == 2);
}

TEST_CASE("RFC 9113 §6.8 no request is reported after shutdown") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  CHECK(exchange(c, e));
  e.shutdown();
  // The request crosses the GOAWAY on the wire.
  auto id = c.get("/late");
  e.feed(c.send());
  std::string out;
  e.take_output(out);
  c.recv(out);
  CHECK(ev.requests.empty());
  CHECK(c.frames_of(NGHTTP2_GOAWAY).at(0).last_stream == 0);
  CHECK(c.responses[id].blocks.empty());
  CHECK(e.should_close());
}

TEST_CASE("RFC 9113 §6.8 a client GOAWAY makes the engine go away") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/");
  CHECK(exchange(c, e));
  nghttp2_submit_goaway(c.session(), NGHTTP2_FLAG_NONE, 0, NGHTTP2_NO_ERROR, nullptr, 0);
  CHECK(exchange(c, e));
  CHECK(e.going_away());
  CHECK_FALSE(e.should_close());
  e.reply(id, 200, {}, "ok");
  CHECK(exchange(c, e));
  CHECK(c.responses[id].body == "ok");
  CHECK(e.should_close());
}

TEST_CASE("RFC 7540 §3.2 h2c upgrade answers the upgrading request on stream 1") {
  recorder ev;
  nghttp2_settings_entry iv[] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
                                 {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1000}};
  std::uint8_t buf[64];
  auto n = nghttp2_pack_settings_payload(buf, sizeof buf, iv, 2);
  REQUIRE(n == 12);
  std::string payload(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n));
  request_head head{"GET", "http", "example.com", "/up", "", "HTTP/1.1", {}, {}, false};
  auto e = http2::engine::upgrade(ev, protocol_limits{}, payload, head);
  REQUIRE(e != nullptr);
  // The HTTP2-Settings payload counts as the client's SETTINGS.
  CHECK_FALSE(e->push_enabled());
  CHECK(e->open_streams() == 1);
  client c{client::config{{}, true, payload, false}};
  CHECK(exchange(c, *e));
  CHECK(ev.requests.empty());  // the connection dispatches stream 1 itself
  e->reply(1, 200, {{"content-type", "text/plain"}}, "upgraded");
  CHECK(exchange(c, *e));
  auto& r = c.responses[1];
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0] ==
        headers{{":status", "200"}, {"content-type", "text/plain"}, {"content-length", "8"}});
  CHECK(r.body == "upgraded");
  CHECK(r.closed);
  CHECK(ev.done == std::vector<stream_id>{1});
  // The next client stream is 3.
  CHECK(c.get("/next") == 3);
  CHECK(exchange(c, *e));
  REQUIRE(ev.requests.size() == 1);
  CHECK(ev.requests[0].first == 3);
}

TEST_CASE("RFC 7540 §3.2 h2c upgrade of a HEAD request sends no content") {
  recorder ev;
  nghttp2_settings_entry iv[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 10}};
  std::uint8_t buf[16];
  auto n = nghttp2_pack_settings_payload(buf, sizeof buf, iv, 1);
  std::string payload(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n));
  request_head head{"HEAD", "http", "example.com", "/", "", "HTTP/1.1", {}, {}, false};
  auto e = http2::engine::upgrade(ev, protocol_limits{}, payload, head);
  REQUIRE(e != nullptr);
  CHECK(e->peer_max_concurrent_streams() == 10);
  client c{client::config{{}, true, payload, true}};
  CHECK(exchange(c, *e));
  e->reply(1, 200, {}, "four");
  CHECK(exchange(c, *e));
  auto& r = c.responses[1];
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0] == headers{{":status", "200"}, {"content-length", "4"}});
  CHECK(r.body == "");
  CHECK(r.closed);
  CHECK(ev.done == std::vector<stream_id>{1});
}

TEST_CASE("RFC 7540 §3.2 h2c upgrade with a bad HTTP2-Settings payload is refused") {
  recorder ev;
  request_head head{"GET", "http", "example.com", "/", "", "HTTP/1.1", {}, {}, false};
  CHECK(http2::engine::upgrade(ev, protocol_limits{}, "12345", head) == nullptr);
}
