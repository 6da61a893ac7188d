// The HTTP/1.1 engine and `Upgrade: h2c` (RFC 7540 §3.2): when it switches, and when it
// serves the request over HTTP/1.1 instead.
#include "rodeo/internal/protocol/http1/engine.hpp"

#include <doctest/doctest.h>

#include "http1/recorder.hpp"

using rodeo::headers;
using rodeo::protocol_limits;
using rodeo::test::h1_fixture;
using rodeo::test::ok_response;
using log_t = std::vector<std::string>;

namespace {

// SETTINGS_MAX_CONCURRENT_STREAMS = 100, SETTINGS_INITIAL_WINDOW_SIZE = 65535.
const std::string settings_payload{"\x00\x03\x00\x00\x00\x64\x00\x04\x00\x00\xff\xff", 12};
const std::string upgrade_request =
    "GET /up?q=1 HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\n"
    "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n";
const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const std::string switching =
    "HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: h2c\r\n\r\n";

}  // namespace

TEST_CASE("RFC 7540 §3.2: Upgrade h2c gets 101 and hands the request and settings over") {
  for (bool bytewise : {false, true}) {
    CAPTURE(bytewise);
    h1_fixture h;
    std::string input = upgrade_request + preface;
    if (bytewise) {
      REQUIRE(h.feed_bytewise(input));
    } else {
      REQUIRE(h.engine.feed(input));
    }
    CHECK(h.output() == switching);
    CHECK(h.events.log == log_t{"upgrade GET /up"});  // no on_request
    REQUIRE(h.events.upgrade_head.has_value());
    CHECK(h.events.upgrade_head->qs == "q=1");
    CHECK(h.events.upgrade_head->authority == "h");
    CHECK(h.events.upgrade_settings == settings_payload);
    // Whatever followed the request belongs to HTTP/2; fed at once it comes back as `rest`.
    CHECK(h.events.upgrade_rest == (bytewise ? "" : preface));
    CHECK_FALSE(h.engine.want_read());
    CHECK_FALSE(h.engine.should_close());
    CHECK(h.engine.open_streams() == 0);
    // Later calls are harmless.
    CHECK(h.engine.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
    h.engine.reply(1, 200, {}, "x");
    CHECK(h.output().empty());
    CHECK(h.events.log.size() == 1);
  }
}

namespace {

// Serves `input` with an h2c upgrade the engine must not take: the request is reported, the
// request after it too, and no 101 is written.
void check_served_over_http1(h1_fixture& h, const std::string& input) {
  REQUIRE(h.engine.feed(input + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n"));
  CHECK(h.events.upgrade_head == std::nullopt);
  REQUIRE(h.events.requests.size() >= 2);
  CHECK(h.events.requests.back().second.path == "/next");
  for (const auto& [id, head] : h.events.requests) h.engine.reply(id, 200, {}, "");
  std::string expected;
  for (std::size_t i = 0; i < h.events.requests.size(); ++i) expected += ok_response("");
  CHECK(h.output() == expected);
}

}  // namespace

TEST_CASE("RFC 7540 §3.2: no h2c upgrade on TLS") {
  h1_fixture h({}, true);
  check_served_over_http1(h, upgrade_request);
  CHECK(rodeo::find_header(h.events.requests[0].second.fields, "upgrade") == "h2c");
}

TEST_CASE("RFC 7540 §3.2: no h2c upgrade for a request with a body") {
  h1_fixture h;
  check_served_over_http1(h,
                          "POST / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                          "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
                          "Content-Length: 3\r\n\r\nabc");
  CHECK(h.events.body(1) == "abc");
}

TEST_CASE("RFC 7540 §3.2: no h2c upgrade behind another outstanding request") {
  h1_fixture h;
  check_served_over_http1(h, "GET /first HTTP/1.1\r\nHost: h\r\n\r\n" + upgrade_request);
  CHECK(h.events.requests.size() == 3);
}

TEST_CASE("RFC 7540 §3.2: no h2c upgrade when the listener disables it") {
  protocol_limits limits;
  limits.allow_h2c_upgrade = false;
  h1_fixture h(limits);
  check_served_over_http1(h, upgrade_request);
}

TEST_CASE("RFC 7540 §3.2.1: a missing or invalid HTTP2-Settings leaves HTTP/1.1 in charge") {
  for (std::string request :
       {"GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        "HTTP2-Settings: !!!!\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        "HTTP2-Settings: AAMAAABkAAQAAP__\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        "HTTP2-Settings: AAMA\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        "\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n"
        "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n"}) {
    CAPTURE(request);
    h1_fixture h;
    check_served_over_http1(h, request);
  }
}

TEST_CASE("RFC 9110 §7.8: Upgrade in an HTTP/1.0 request is ignored") {
  h1_fixture h;
  REQUIRE(
      h.engine.feed("GET / HTTP/1.0\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n"));
  CHECK(h.events.log == log_t{"request 1 GET /"});
  h.engine.reply(1, 200, {}, "");
  CHECK(h.output() == ok_response("", "connection: close\r\n"));
}

TEST_CASE("RFC 9110 §7.8: another Upgrade is ignored and the connection goes on") {
  h1_fixture h;
  // (A WebSocket upgrade is the engine's other exception: engine_websocket.test.cpp.)
  check_served_over_http1(h,
                          "GET /irc HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\n"
                          "Upgrade: IRC/6.9\r\n\r\n");
}

TEST_CASE("RFC 7540 §3.2: an empty HTTP2-Settings is a valid, empty SETTINGS payload") {
  h1_fixture h;
  REQUIRE(
      h.engine.feed("OPTIONS * HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    "Upgrade: h2c\r\nHTTP2-Settings:\r\n\r\n"));
  CHECK(h.output() == switching);
  CHECK(h.events.upgrade_settings.empty());
  CHECK(h.events.upgrade_head->path == "*");
}
