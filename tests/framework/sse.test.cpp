// Server-sent events: format_event's framing (HTML §9.2.6) and stream_events on a req.
#include "rodeo/sse.hpp"

#include <doctest/doctest.h>

#include <string>
#include <variant>
#include <vector>

#include "framework/req_fixture.hpp"
#include "rodeo/errors.hpp"

using rodeo::format_event;
using rodeo::sse_event;
using namespace std::chrono_literals;

TEST_CASE("format_event: fields in order, one line each, a blank line after") {
  CHECK(format_event({.data = "hi"}) == "data: hi\n\n");
  CHECK(format_event({.id = "7", .event = "tick", .data = "{\"n\":7}", .retry = 2s}) ==
        "id: 7\nevent: tick\nretry: 2000\ndata: {\"n\":7}\n\n");
  CHECK(format_event({.comment = "keep-alive"}) == ": keep-alive\n\n");
  CHECK(format_event({.id = ""}) == "id: \n\n");
  CHECK(format_event({.data = ""}) == "data: \n\n");
}

TEST_CASE("format_event: multi-line data and comments become several lines") {
  CHECK(format_event({.data = "a\nb\r\nc\rd"}) == "data: a\ndata: b\ndata: c\ndata: d\n\n");
  // A trailing line break is kept: the client's data ends with a newline.
  CHECK(format_event({.data = "a\n"}) == "data: a\ndata: \n\n");
  CHECK(format_event({.comment = "1\n2"}) == ": 1\n: 2\n\n");
}

TEST_CASE("format_event: misuse is a usage_error saying what to do") {
  CHECK_THROWS_WITH_AS(format_event({}),
                       "rodeo::sse_event: the event is empty; set at least one of .data, .id, "
                       ".event, .retry, .comment",
                       rodeo::usage_error);
  CHECK_THROWS_WITH_AS(format_event({.id = "1\n2"}),
                       "rodeo::sse_event: the id must be one line (no CR, LF or NUL): put "
                       "multi-line text in .data",
                       rodeo::usage_error);
  CHECK_THROWS_AS(format_event({.id = std::string{"a\0b", 3}}), rodeo::usage_error);
  CHECK_THROWS_WITH_AS(format_event({.event = "a\rb"}),
                       "rodeo::sse_event: the event must be one line (no CR, LF): put "
                       "multi-line text in .data",
                       rodeo::usage_error);
  CHECK_THROWS_AS(format_event({.retry = -1ms}), rodeo::usage_error);
}

TEST_CASE("stream_events: starts the event stream once, then sends events as body pieces") {
  rodeo::test::req_fixture f{"/events"};
  rodeo::stream_events(*f.req, sse_event{.id = "1", .data = "one"});
  rodeo::stream_events(*f.req, std::vector<sse_event>{{.data = "two"}, {.comment = "c"}}, true);
  auto cmds = f.sent();
  REQUIRE(cmds.size() == 3);
  auto* start = std::get_if<rodeo::cmd::stream_reply>(&cmds[0]);
  REQUIRE(start != nullptr);
  CHECK(start->status == 200);
  CHECK(start->fields ==
        rodeo::headers{{"content-type", "text/event-stream"}, {"cache-control", "no-cache"}});
  auto* first = std::get_if<rodeo::cmd::body>(&cmds[1]);
  REQUIRE(first != nullptr);
  CHECK(first->data == "id: 1\ndata: one\n\n");
  CHECK(!first->fin);
  auto* last = std::get_if<rodeo::cmd::body>(&cmds[2]);
  REQUIRE(last != nullptr);
  CHECK(last->data == "data: two\n\n: c\n\n");
  CHECK(last->fin);
}

TEST_CASE("stream_events: a braced event with two text fields is one event") {
  rodeo::test::req_fixture f{"/events"};
  rodeo::stream_events(*f.req, {.event = "end", .data = "bye"}, true);
  auto cmds = f.sent();
  REQUIRE(cmds.size() == 2);
  CHECK(std::get<rodeo::cmd::body>(cmds[1]).data == "event: end\ndata: bye\n\n");
}

TEST_CASE("stream_events: a stream the handler started keeps its status and fields") {
  rodeo::test::req_fixture f{"/events"};
  f.req->stream_reply(201, {{"content-type", "text/event-stream"}});
  rodeo::stream_events(*f.req, sse_event{.data = "x"});
  auto cmds = f.sent();
  REQUIRE(cmds.size() == 2);
  CHECK(std::get<rodeo::cmd::stream_reply>(cmds[0]).status == 201);
  CHECK(std::get<rodeo::cmd::body>(cmds[1]).data == "data: x\n\n");
  // A bad event sends nothing.
  CHECK_THROWS_AS(rodeo::stream_events(*f.req, sse_event{.event = "a\nb"}), rodeo::usage_error);
  CHECK(f.sent().empty());
}
