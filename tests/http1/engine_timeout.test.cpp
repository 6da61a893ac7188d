// The HTTP/1.1 engine's side of the connection's request, header and body timeouts: when a
// request head is being received, and what time_out() answers.
#include "rodeo/internal/protocol/http1/engine.hpp"

#include <doctest/doctest.h>

#include "http1/recorder.hpp"

using rodeo::test::error_response;
using rodeo::test::h1_fixture;
using rodeo::test::ok_response;

TEST_CASE("receiving_head: from a head's first byte (an empty line counts) to its end") {
  h1_fixture h;
  CHECK_FALSE(h.engine.receiving_head());
  REQUIRE(h.engine.feed("\r\n"));
  CHECK(h.engine.receiving_head());
  REQUIRE(h.engine.feed("GET / HTTP/1.1\r\nHo"));
  CHECK(h.engine.receiving_head());
  REQUIRE(h.engine.feed("st: a\r\nContent-Length: 4\r\n\r\nab"));
  CHECK_FALSE(h.engine.receiving_head());  // the body is the body timeout's business
  REQUIRE(h.engine.feed("cd"));
  CHECK_FALSE(h.engine.receiving_head());
  h.engine.reply(1, 200, {}, "one");
  REQUIRE(h.engine.feed("G"));
  CHECK(h.engine.receiving_head());
}

TEST_CASE("RFC 9110 §15.5.9: time_out while a head arrives answers 408 and closes") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: "));
  h.engine.time_out();
  CHECK(h.output() == error_response("408 Request Timeout", "Request Timeout"));
  CHECK(h.engine.should_close());
  CHECK(h.events.requests.empty());
  CHECK_FALSE(h.engine.feed("more\r\n\r\n"));  // no input after it
}

TEST_CASE("RFC 9110 §15.5.9: time_out waits for the responses before it") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\n"));
  h.engine.time_out();
  CHECK(h.output().empty());
  h.engine.reply(1, 200, {}, "one");
  CHECK(h.output() ==
        ok_response("one") + error_response("408 Request Timeout", "Request Timeout"));
  CHECK(h.engine.should_close());
}

TEST_CASE("RFC 9110 §15.5.9: time_out during a body answers 408 and resets its stream") {
  h1_fixture h;
  REQUIRE(h.engine.feed("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789"));
  REQUIRE(h.events.requests.size() == 1);
  h.engine.time_out();
  CHECK(h.output() == error_response("408 Request Timeout", "Request Timeout"));
  CHECK(h.events.log == std::vector<std::string>{"request 1 POST /up", "reset 1 0"});
  CHECK(h.engine.should_close());
}

TEST_CASE("queued_total counts the output not taken and the pipelined responses waiting") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n"));
  CHECK(h.engine.queued_total() == 0);
  h.engine.reply(2, 200, {}, std::string(1000, 'b'));  // waits behind stream 1
  CHECK(h.engine.queued_total() > 1000);
  h.engine.stream_reply(1, 200, {});
  h.engine.stream_body(1, std::string(500, 'a'), false);
  auto both = h.engine.queued_total();
  CHECK(both > 1500);
  CHECK(h.output().size() > 500);  // stream 1's head and body were ready to write
  CHECK(h.engine.queued_total() < both);
}
