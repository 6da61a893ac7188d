// The HTTP/2 engine's inbound half: request bodies, body and header limits, malformed
// requests (RFC 9113 §8.1, §8.1.1, §8.2).
#include <doctest/doctest.h>

#include "h2_client.hpp"
#include "rodeo/internal/protocol/http2/engine.hpp"

using namespace rodeo;
using rodeo::test::client;
using rodeo::test::exchange;
using rodeo::test::recorder;
using rodeo::test::upload;

namespace {

headers post(const std::string& path, headers extra = {}) {
  headers h{
      {":method", "POST"}, {":scheme", "https"}, {":authority", "example.com"}, {":path", path}};
  h.insert(h.end(), extra.begin(), extra.end());
  return h;
}

}  // namespace

TEST_CASE("RFC 9113 §8.1 request body arrives as DATA frames ending with fin") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  upload body{std::string(20000, 'x')};
  auto id = c.request(post("/up", {{"content-length", "20000"}}), &body);
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 1);
  CHECK(ev.requests[0].second.has_body);
  CHECK(ev.requests[0].second.content_length == 20000u);
  // 16384 is the default SETTINGS_MAX_FRAME_SIZE: two DATA frames, the last with END_STREAM.
  CHECK(ev.log == std::vector<std::string>{"request 1", "body 1 16384", "body 1 3616 fin"});
  std::string got;
  for (auto& b : ev.bodies) got += b.data;
  CHECK(got == body.data);
  e.reply(id, 201, {}, "");
  CHECK(exchange(c, e));
  CHECK(c.responses[id].blocks.at(0).at(0) == header{":status", "201"});
  CHECK(ev.done == std::vector<stream_id>{1});
}

TEST_CASE("RFC 9113 §8.1 END_STREAM on an empty DATA frame gives an empty final body call") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  upload body{"abcde"};
  body.eof_apart = true;
  c.request(post("/"), &body);
  CHECK(exchange(c, e));
  CHECK(ev.bodies == std::vector<recorder::body_event>{{1, "abcde", false}, {1, "", true}});
  CHECK_FALSE(ev.requests.at(0).second.content_length.has_value());
}

TEST_CASE("RFC 9113 §8.1 request trailers end the body") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  upload body{"abc"};
  body.trailers = {{"x-checksum", "42"}};
  c.request(post("/"), &body);
  CHECK(exchange(c, e));
  // The trailer fields have no event in the protocol contract; their END_STREAM ends the body.
  CHECK(ev.bodies == std::vector<recorder::body_event>{{1, "abc", false}, {1, "", true}});
  CHECK(ev.requests.at(0).second.has_body);
}

TEST_CASE("RFC 9110 §15.5.14 413 when the declared content-length exceeds max_body") {
  recorder ev;
  protocol_limits limits;
  limits.max_body = 10;
  http2::engine e{ev, limits, true};
  client c;
  upload body{std::string(11, 'x')};
  body.hold = true;  // the body is not sent: the answer comes at HEADERS time
  auto id = c.request(post("/", {{"content-length", "11"}}), &body);
  CHECK(exchange(c, e));
  CHECK(ev.log.empty());  // never reported to the connection
  auto& r = c.responses[id];
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0] == headers{{":status", "413"}, {"content-length", "0"}});
  CHECK(c.frames_of(NGHTTP2_HEADERS, id).at(0).end_stream());
  // RFC 9113 §8.1: the client may stop sending, without error.
  auto rst = c.frames_of(NGHTTP2_RST_STREAM, id);
  REQUIRE(rst.size() == 1);
  CHECK(rst[0].error_code == NGHTTP2_NO_ERROR);
  CHECK(r.closed);
  CHECK(e.open_streams() == 0);
}

TEST_CASE("RFC 9110 §15.5.14 413 when the received body exceeds max_body") {
  recorder ev;
  protocol_limits limits;
  limits.max_body = 20000;
  http2::engine e{ev, limits, true};
  client c;
  upload body{std::string(30000, 'x')};
  auto id = c.request(post("/"), &body);
  CHECK(exchange(c, e));
  // The first frame (16384) fits; the second goes past 20000: the request actor stops.
  CHECK(ev.log == std::vector<std::string>{"request 1", "body 1 16384",
                                           "reset 1 " + std::to_string(NGHTTP2_CANCEL)});
  auto& r = c.responses[id];
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0] == headers{{":status", "413"}, {"content-length", "0"}});
  CHECK(r.closed);
  // Commands from the stopped actor are ignored.
  e.reply(id, 200, {}, "late");
  CHECK(exchange(c, e));
  CHECK(r.blocks.size() == 1);
  CHECK(ev.done.empty());
  CHECK(e.open_streams() == 0);
}

TEST_CASE("RFC 9113 §10.5.1 a header block above max_header_block resets its stream only") {
  recorder ev;
  protocol_limits limits;
  limits.max_header_block = 200;
  http2::engine e{ev, limits, true};
  client c;
  // RFC 9113 §6.5.2 sizes: 4 pseudo-headers (~170 bytes with overhead) plus this field.
  auto big = c.get("/", {{"x-big", std::string(100, 'b')}});
  auto small = c.get("/ok");
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 1);
  CHECK(ev.requests[0].first == small);
  // No 431: answering would take validating the rest of the block (see engine.hpp).
  auto& r = c.responses[big];
  CHECK(r.blocks.empty());
  CHECK(r.closed);
  CHECK(r.close_code == NGHTTP2_ENHANCE_YOUR_CALM);
  CHECK(c.frames_of(NGHTTP2_GOAWAY).empty());
}

TEST_CASE("RFC 9113 §10.5.1 trailers above max_header_block reset their stream") {
  recorder ev;
  protocol_limits limits;
  limits.max_header_block = 300;
  http2::engine e{ev, limits, true};
  client c;
  test::upload body{"abc"};
  body.trailers = {{"x-big", std::string(400, 't')}};
  auto id = c.request(
      {{":method", "POST"}, {":scheme", "https"}, {":authority", "example.com"}, {":path", "/"}},
      &body);
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 1);
  CHECK(ev.resets ==
        std::vector<std::pair<stream_id, std::uint32_t>>{{id, NGHTTP2_ENHANCE_YOUR_CALM}});
  CHECK(c.responses[id].closed);
  CHECK(c.responses[id].close_code == NGHTTP2_ENHANCE_YOUR_CALM);
}

TEST_CASE("RFC 9113 §8.2.1 an uppercase field name resets only its stream") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto bad = c.get("/bad", {{"X-Upper", "1"}});
  auto good = c.get("/good");
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 1);
  CHECK(ev.requests[0].first == good);
  auto rst = c.frames_of(NGHTTP2_RST_STREAM, bad);
  REQUIRE(rst.size() == 1);
  CHECK(rst[0].error_code == NGHTTP2_PROTOCOL_ERROR);
  e.reply(good, 200, {}, "fine");
  CHECK(exchange(c, e));
  CHECK(c.responses[good].body == "fine");
  CHECK(c.frames_of(NGHTTP2_GOAWAY).empty());
  CHECK(ev.log == std::vector<std::string>{"request 3", "done 3"});
}

TEST_CASE("RFC 9113 §8.3.1 a request without :path resets only its stream") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto bad = c.request({{":method", "GET"}, {":scheme", "https"}, {":authority", "example.com"}});
  auto good = c.get("/good");
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 1);
  CHECK(ev.requests[0].first == good);
  auto rst = c.frames_of(NGHTTP2_RST_STREAM, bad);
  REQUIRE(rst.size() == 1);
  CHECK(rst[0].error_code == NGHTTP2_PROTOCOL_ERROR);
  e.reply(good, 200, {}, "fine");
  CHECK(exchange(c, e));
  CHECK(c.responses[good].body == "fine");
}

TEST_CASE("RFC 9113 §8.2.1 a field name outside the token set resets the stream") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto bad = c.get("/", {{"bad name", "1"}});
  CHECK(exchange(c, e));
  CHECK(ev.requests.empty());
  auto rst = c.frames_of(NGHTTP2_RST_STREAM, bad);
  REQUIRE(rst.size() == 1);
  CHECK(rst[0].error_code == NGHTTP2_PROTOCOL_ERROR);
}

TEST_CASE("RFC 9113 §8.2.2 a connection-specific field resets the stream") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto bad = c.get("/", {{"connection", "keep-alive"}});
  CHECK(exchange(c, e));
  CHECK(ev.requests.empty());
  auto rst = c.frames_of(NGHTTP2_RST_STREAM, bad);
  REQUIRE(rst.size() == 1);
  CHECK(rst[0].error_code == NGHTTP2_PROTOCOL_ERROR);
}

TEST_CASE("RFC 9113 §8.1.1 DATA beyond the declared content-length resets the stream") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  upload body{"0123456789"};
  auto id = c.request(post("/", {{"content-length", "4"}}), &body);
  CHECK(exchange(c, e));
  CHECK(ev.log == std::vector<std::string>{"request 1", "reset 1 1"});
  CHECK(c.frames_of(NGHTTP2_RST_STREAM, id).at(0).error_code == NGHTTP2_PROTOCOL_ERROR);
}

// A client that sends `expect: 100-continue` may hold its content back until it sees a 100
// (curl does, for up to a second or more): the server must answer at once with either a final
// status or 100 (RFC 9110 §10.1.1), as the HTTP/1.1 engine does.
TEST_CASE("RFC 9110 §10.1.1 expect: 100-continue gets an immediate 100 (Continue)") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  upload body{"abc"};
  body.hold = true;  // the client waits for the 100 before it sends its content
  auto id = c.request(post("/up", {{"expect", "100-continue"}, {"content-length", "3"}}), &body);
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 1);
  auto& r = c.responses[id];
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0] == headers{{":status", "100"}});
  // The final response still follows; a second 100 is not sent for a later inform.
  e.reply(id, 200, {}, "ok");
  CHECK(exchange(c, e));
  REQUIRE(r.blocks.size() == 2);
  CHECK(r.blocks[1].at(0) == header{":status", "200"});
}

TEST_CASE("RFC 9110 §10.1.1 no 100 (Continue) without content or without the expectation") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto get = c.request(post("/", {{"expect", "100-continue"}}), nullptr);  // END_STREAM: no content
  upload body{"abc"};
  auto plain = c.request(post("/up"), &body);
  CHECK(exchange(c, e));
  e.reply(get, 200, {}, "");
  e.reply(plain, 200, {}, "");
  CHECK(exchange(c, e));
  CHECK(c.responses[get].blocks.size() == 1);
  CHECK(c.responses[plain].blocks.size() == 1);
}

TEST_CASE("RFC 8441 §4-5 an extended CONNECT is a tunnel: :protocol reported, no max_body") {
  recorder ev;
  protocol_limits limits;
  limits.max_body = 20000;
  http2::engine e{ev, limits, true};
  client c;
  CHECK(exchange(c, e));  // the client learns SETTINGS_ENABLE_CONNECT_PROTOCOL first (§3)
  upload body{std::string(30000, 'w')};
  auto id = c.request({{":method", "CONNECT"},
                       {":protocol", "websocket"},
                       {":scheme", "https"},
                       {":authority", "example.com"},
                       {":path", "/chat"},
                       {"sec-websocket-version", "13"}},
                      &body);
  CHECK(exchange(c, e));
  REQUIRE(ev.requests.size() == 1);
  const auto& head = ev.requests[0].second;
  CHECK(head.method == "CONNECT");
  CHECK(head.protocol == "websocket");
  CHECK(head.path == "/chat");
  CHECK(head.has_body);
  std::string got;
  for (auto& b : ev.bodies) got += b.data;
  CHECK(got == body.data);  // all of it: DATA past max_body is the WebSocket's
  e.stream_reply(id, 200, {});
  e.stream_body(id, "\x81\x02hi", false);
  CHECK(exchange(c, e));
  auto& r = c.responses[id];
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0] == headers{{":status", "200"}});
  CHECK(r.body == "\x81\x02hi");
}
