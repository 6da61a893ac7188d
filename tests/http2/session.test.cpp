// The HTTP/2 engine's session hardening: invalid preface, Rapid Reset, CONTINUATION and
// control-frame floods (RFC 9113 §3.4, §10.5) end the connection with a GOAWAY.
#include <doctest/doctest.h>

#include "h2_client.hpp"
#include "rodeo/internal/protocol/http2/engine.hpp"

using namespace rodeo;
using rodeo::test::client;
using rodeo::test::exchange;
using rodeo::test::recorder;

TEST_CASE("RFC 9113 §3.4 an invalid preface fails the connection") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, false};
  CHECK_FALSE(e.feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(e.should_close());
  CHECK(e.going_away());
  std::string out;
  e.take_output(out);
  // The SETTINGS preface (9 + 4 x 6 bytes), then GOAWAY(last stream 0, PROTOCOL_ERROR).
  CHECK(out.substr(33) == test::frame(NGHTTP2_GOAWAY, 0, 0, std::string("\0\0\0\0\0\0\0\1", 8)));
  CHECK_FALSE(e.feed(NGHTTP2_CLIENT_MAGIC));
  CHECK(ev.log.empty());
}

TEST_CASE("CVE-2023-44487 rapid reset ends in GOAWAY") {
  recorder ev;
  http2::options opts;
  opts.reset_burst = 10;
  opts.reset_rate = 0;  // no token comes back: the count is exact
  http2::engine e{ev, protocol_limits{}, true, opts};
  client c;
  CHECK(exchange(c, e));
  bool ok = true;
  int pairs = 0;
  while (ok && pairs < 50) {
    // HEADERS then RST_STREAM(CANCEL): nghttp2 cancels a request still queued, so send
    // the HEADERS first.
    auto id = c.get("/");
    auto up = c.send();
    nghttp2_submit_rst_stream(c.session(), NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
    up += c.send();
    ok = e.feed(up);
    ++pairs;
  }
  CHECK(pairs == 11);
  CHECK_FALSE(ok);
  std::string out;
  e.take_output(out);
  c.recv(out);
  auto goaway = c.frames_of(NGHTTP2_GOAWAY);
  REQUIRE(goaway.size() == 1);
  CHECK(goaway[0].error_code == NGHTTP2_INTERNAL_ERROR);
  CHECK(goaway[0].last_stream == 21);
  CHECK(e.should_close());
  CHECK(ev.requests.size() == 11);
  CHECK(ev.resets.size() == 11);
  CHECK(ev.resets.back() == std::pair<stream_id, std::uint32_t>{21, NGHTTP2_CANCEL});
  CHECK(ev.done.empty());
}

TEST_CASE("CVE-2024-28182 a CONTINUATION flood fails the connection") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  CHECK(exchange(c, e));
  // HEADERS without END_HEADERS (:method GET, :scheme http, :path /), then CONTINUATION
  // frames each carrying one indexed field (accept-encoding: gzip, deflate).
  std::string flood = test::frame(NGHTTP2_HEADERS, NGHTTP2_FLAG_END_STREAM, 1, "\x82\x86\x84");
  for (int i = 0; i < 8; ++i) flood += test::frame(NGHTTP2_CONTINUATION, 0, 1, "\x90");
  CHECK(e.feed(flood));  // 8 are allowed
  CHECK_FALSE(e.feed(test::frame(NGHTTP2_CONTINUATION, 0, 1, "\x90")));
  CHECK(e.should_close());
  std::string out;
  e.take_output(out);
  c.recv(out);
  auto goaway = c.frames_of(NGHTTP2_GOAWAY);
  REQUIRE(goaway.size() == 1);
  CHECK(goaway[0].error_code == NGHTTP2_ENHANCE_YOUR_CALM);
  CHECK(ev.requests.empty());
}

TEST_CASE("RFC 9113 §10.5 a PING flood fails the connection") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  // PING ACKs the engine must queue faster than they can be written: nghttp2 gives up past
  // 1000 pending acknowledgements.
  std::string in = NGHTTP2_CLIENT_MAGIC;
  in += test::frame(NGHTTP2_SETTINGS, 0, 0, "");
  for (int i = 0; i < 1100; ++i) in += test::frame(NGHTTP2_PING, 0, 0, "12345678");
  CHECK_FALSE(e.feed(in));
  CHECK(e.should_close());
  std::string out;
  e.take_output(out);
  auto frames = test::parse_frames(out);
  REQUIRE_FALSE(frames.empty());
  CHECK(frames.back().type == NGHTTP2_GOAWAY);
  CHECK(frames.back().payload == std::string("\0\0\0\0\0\0\0\x0b", 8));  // ENHANCE_YOUR_CALM
}

TEST_CASE("RFC 9113 §6.5 too many SETTINGS entries fail the connection") {
  recorder ev;
  http2::options opts;
  opts.max_settings = 2;
  http2::engine e{ev, protocol_limits{}, true, opts};
  std::string in = NGHTTP2_CLIENT_MAGIC;
  std::string entries;
  for (int i = 0; i < 3; ++i) entries += std::string("\0\x02\0\0\0\0", 6);  // ENABLE_PUSH 0
  in += test::frame(NGHTTP2_SETTINGS, 0, 0, entries);
  CHECK_FALSE(e.feed(in));
  std::string out;
  e.take_output(out);
  auto frames = test::parse_frames(out);
  REQUIRE_FALSE(frames.empty());
  CHECK(frames.back().type == NGHTTP2_GOAWAY);
  // Last stream 0, ENHANCE_YOUR_CALM, then nghttp2's debug text.
  CHECK(frames.back().payload ==
        std::string("\0\0\0\0\0\0\0\x0b", 8) + "SETTINGS: too many setting entries");
}
