// The HTTP/1.1 engine and a WebSocket upgrade (RFC 6455 §4): the request is reported like
// any other, nothing after it is parsed, and a 101 turns the connection into the stream's
// tunnel both ways.
#include "rodeo/internal/protocol/http1/engine.hpp"

#include <doctest/doctest.h>

#include "http1/recorder.hpp"

using rodeo::test::h1_fixture;
using log_t = std::vector<std::string>;

namespace {

const std::string upgrade_request =
    "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

}  // namespace

TEST_CASE("RFC 6455 §4.2.2: 101 makes the connection the stream's, both ways") {
  h1_fixture h;
  // Frames sent before the 101 (a hasty client) wait, unparsed.
  const std::string early = std::string{"\x81\x80"} + "early";
  REQUIRE(h.engine.feed(upgrade_request + early));
  CHECK(h.events.log == log_t{"request 1 GET /ws"});
  CHECK(h.events.body(1).empty());
  h.engine.stream_reply(1, 101, {{"sec-websocket-accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="}});
  CHECK(h.output() ==
        "HTTP/1.1 101 Switching Protocols\r\n"
        "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
        "connection: Upgrade\r\nupgrade: websocket\r\n\r\n");
  CHECK(h.events.body(1) == early);
  // Bytes that look like HTTP are the stream's too.
  REQUIRE(h.engine.feed("GET / HTTP/1.1\r\n\r\n"));
  CHECK(h.events.body(1) == early + "GET / HTTP/1.1\r\n\r\n");
  CHECK(h.engine.want_read());
  CHECK_FALSE(h.engine.receiving_head());
  h.engine.stream_body(1, "\x81\x02hi", false);
  CHECK(h.output() == "\x81\x02hi");  // no chunked coding
  CHECK(h.engine.open_streams() == 1);
  h.engine.time_out();  // no 408 inside a WebSocket
  CHECK(h.output().empty());
  // The stream's end ends the connection.
  h.engine.stream_body(1, "\x88\x02\x03\xe8", true);
  CHECK(h.output() == "\x88\x02\x03\xe8");
  CHECK(h.engine.should_close());
  CHECK(h.events.log == log_t{"request 1 GET /ws", "done 1"});
}

TEST_CASE("RFC 6455 §4.2.2: a refused upgrade is answered, and the connection closes") {
  h1_fixture h;
  REQUIRE(h.engine.feed(upgrade_request + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n"));
  CHECK(h.events.log == log_t{"request 1 GET /ws"});  // /next is never parsed
  h.engine.reply(1, 426, {{"sec-websocket-version", "13"}}, "");
  auto out = h.output();
  CHECK(out.starts_with("HTTP/1.1 426 Upgrade Required\r\n"));
  CHECK(out.find("connection: close\r\n") != std::string::npos);
  CHECK(h.engine.should_close());
}

TEST_CASE("RFC 9110 §15.2.2: a 101 for a request that did not ask for a WebSocket is refused") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  h.engine.stream_reply(1, 101, {});
  CHECK(h.output().empty());
  CHECK(h.engine.should_close());
}
