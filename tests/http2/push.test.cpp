// Server push on the HTTP/2 engine (RFC 9113 §8.4): PUSH_PROMISE, pushed responses, their
// ordering behind the parent's response, refusal and cancellation.
#include <doctest/doctest.h>

#include "h2_client.hpp"
#include "rodeo/internal/protocol/http2/engine.hpp"

using namespace rodeo;
using rodeo::test::client;
using rodeo::test::exchange;
using rodeo::test::recorder;

namespace {

request_head promised(std::string path, std::string qs = {}, headers fields = {}) {
  request_head h;
  h.method = "GET";
  h.scheme = "https";
  h.authority = "example.com";
  h.path = std::move(path);
  h.qs = std::move(qs);
  h.version = "HTTP/2";
  h.fields = std::move(fields);
  return h;
}

// A client's GET / (stream 1), not answered yet, and one promise on it (stream 2).
struct promised_page {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  stream_id parent = 0, pushed = 0;
  explicit promised_page(std::string path) {
    parent = c.get("/");
    CHECK(exchange(c, e));
    pushed = e.push_promise(parent, promised(std::move(path)));
    REQUIRE(pushed == 2);
  }
};

}  // namespace

TEST_CASE("RFC 9113 §8.4 PUSH_PROMISE precedes the parent response") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto parent = c.get("/");
  CHECK(exchange(c, e));
  CHECK(e.push_enabled());
  auto pushed = e.push_promise(parent, promised("/style.css", "v=1", {{"accept", "text/css"}}));
  CHECK(pushed == 2);
  CHECK(e.open_pushed_streams() == 1);
  CHECK(e.open_streams() == 2);
  // The pushed handler answers first; the engine keeps its response behind the parent's.
  e.reply(pushed, 200, {{"content-type", "text/css"}}, "body{}");
  e.reply(parent, 200, {{"content-type", "text/html"}}, "<html>");
  CHECK(exchange(c, e));

  REQUIRE(c.promises.count(2) == 1);
  CHECK(c.promises[2] == headers{{":method", "GET"},
                                 {":scheme", "https"},
                                 {":authority", "example.com"},
                                 {":path", "/style.css?v=1"},
                                 {"accept", "text/css"}});
  auto pp = c.frames_of(NGHTTP2_PUSH_PROMISE);
  REQUIRE(pp.size() == 1);
  CHECK(pp[0].stream == parent);
  CHECK(pp[0].promised == 2);
  int promise_at = c.first(NGHTTP2_PUSH_PROMISE, 1);
  int parent_headers = c.first(NGHTTP2_HEADERS, 1);
  int parent_data = c.first(NGHTTP2_DATA, 1);
  int pushed_headers = c.first(NGHTTP2_HEADERS, 2);
  int pushed_data = c.first(NGHTTP2_DATA, 2);
  CHECK(promise_at == 2);  // after the two SETTINGS frames
  CHECK(parent_headers == 3);
  CHECK(parent_data == 4);
  CHECK(pushed_headers == 5);
  CHECK(pushed_data == 6);
  CHECK(c.responses[2].blocks.at(0) ==
        headers{{":status", "200"}, {"content-type", "text/css"}, {"content-length", "6"}});
  CHECK(c.responses[2].body == "body{}");
  CHECK(c.responses[1].body == "<html>");
  CHECK(ev.log == std::vector<std::string>{"request 1", "done 1", "done 2"});
  CHECK(e.open_pushed_streams() == 0);
}

TEST_CASE("RFC 9113 §8.4 pushed responses use the link while the parent has nothing to send") {
  promised_page t{"/app.js"};
  auto& [ev, e, c, parent, pushed] = t;
  e.reply(pushed, 200, {}, "js");
  CHECK(exchange(c, e));
  // The parent's handler is still thinking: its push does not wait for it.
  CHECK(c.first(NGHTTP2_HEADERS, 2) > c.first(NGHTTP2_PUSH_PROMISE, 1));
  CHECK(c.responses[2].body == "js");
  CHECK(c.first(NGHTTP2_HEADERS, 1) == -1);
  CHECK(ev.done == std::vector<stream_id>{2});
  e.reply(parent, 200, {}, "<html>");
  CHECK(exchange(c, e));
  CHECK(c.responses[1].body == "<html>");
}

TEST_CASE("RFC 9113 §8.4 a parent with HEADERS and no DATA ready lets its pushes go") {
  promised_page t{"/app.js"};
  auto& [ev, e, c, parent, pushed] = t;
  e.reply(pushed, 200, {}, "js");
  e.stream_reply(parent, 200, {});  // an event stream whose first event comes later
  CHECK(exchange(c, e));
  // The parent's HEADERS were ready: they go first; then its push uses the idle link.
  CHECK(c.first(NGHTTP2_HEADERS, 1) > c.first(NGHTTP2_PUSH_PROMISE, 1));
  CHECK(c.first(NGHTTP2_HEADERS, 2) > c.first(NGHTTP2_HEADERS, 1));
  CHECK(c.responses[2].body == "js");
  CHECK(ev.done == std::vector<stream_id>{2});
  e.stream_body(parent, "first last", true);
  CHECK(exchange(c, e));
  CHECK(c.responses[1].body == "first last");
  CHECK(ev.done == std::vector<stream_id>{2, 1});
}

TEST_CASE("RFC 9113 §8.4 a parent's ready DATA goes before its pushed responses") {
  promised_page t{"/app.js"};
  auto& [ev, e, c, parent, pushed] = t;
  e.reply(pushed, 200, {}, "js");
  e.stream_reply(parent, 200, {});
  e.stream_body(parent, "first", false);
  CHECK(exchange(c, e));
  int parent_data = c.first(NGHTTP2_DATA, 1);
  REQUIRE(parent_data >= 0);
  CHECK(c.first(NGHTTP2_HEADERS, 2) > parent_data);
  CHECK(c.first(NGHTTP2_DATA, 2) > parent_data);
  e.stream_body(parent, " last", true);
  CHECK(exchange(c, e));
  CHECK(c.responses[1].body == "first last");
}

TEST_CASE("RFC 9113 §8.4 while pushes run ahead of a thinking parent, output goes in bursts") {
  promised_page t{"/big.js"};
  auto& [ev, e, c, parent, pushed] = t;
  e.reply(pushed, 200, {}, std::string(60000, 'x'));
  std::string down;
  e.take_output(down);  // the PUSH_PROMISE
  c.recv(down);
  down.clear();
  e.take_output(down);  // idle: the push goes, one burst of it
  CHECK(down.size() <= http2::engine::push_burst + 16 * 1024 + 64);
  c.recv(down);
  e.reply(parent, 200, {}, "<html>");
  down.clear();
  e.take_output(down);  // the parent's response first, then the rest of the push
  c.recv(down);
  CHECK(exchange(c, e));
  CHECK(c.responses[1].body == "<html>");
  CHECK(c.responses[2].body.size() == 60000);
  int parent_headers = c.first(NGHTTP2_HEADERS, 1);
  int last_pushed_data = -1;
  for (int i = 0; i < static_cast<int>(c.frames.size()); ++i)
    if (c.frames[i].type == NGHTTP2_DATA && c.frames[i].stream == 2) last_pushed_data = i;
  CHECK(parent_headers < last_pushed_data);
}

TEST_CASE("RFC 9113 §8.4 a pushed error response is cancelled, not sent") {
  promised_page t{"/missing.css"};
  auto& [ev, e, c, parent, pushed] = t;
  e.reply(pushed, 404, {{"content-type", "text/plain"}}, "Not Found\n");
  CHECK(exchange(c, e));
  e.reply(parent, 200, {}, "page");
  CHECK(exchange(c, e));
  CHECK(c.first(NGHTTP2_HEADERS, 2) == -1);
  auto rst = c.frames_of(NGHTTP2_RST_STREAM, 2);
  REQUIRE(rst.size() == 1);
  CHECK(rst[0].error_code == NGHTTP2_CANCEL);
  CHECK(c.responses[1].body == "page");
  CHECK(ev.log == std::vector<std::string>{"request 1", "reset 2 8", "done 1"});
}

TEST_CASE("RFC 9113 §8.4 a pushed error before its PUSH_PROMISE is out is cancelled after it") {
  promised_page t{"/missing.css"};
  auto& [ev, e, c, parent, pushed] = t;
  e.reply(parent, 200, {}, "page");
  e.reply(pushed, 500, {}, "oops");  // the promise has not been sent yet
  CHECK(exchange(c, e));
  CHECK(c.first(NGHTTP2_RST_STREAM, 2) > c.first(NGHTTP2_PUSH_PROMISE, 1));
  CHECK(c.first(NGHTTP2_HEADERS, 2) == -1);
  CHECK(c.responses[1].body == "page");
}

TEST_CASE("RFC 9113 §8.4 a headers-only parent response releases its pushes") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto parent = c.get("/");
  CHECK(exchange(c, e));
  auto pushed = e.push_promise(parent, promised("/a"));
  e.stream_reply(pushed, 200, {});
  e.stream_body(pushed, "aa", true);
  e.reply(parent, 304, {}, "");
  CHECK(exchange(c, e));
  CHECK(c.first(NGHTTP2_HEADERS, 2) > c.first(NGHTTP2_HEADERS, 1));
  CHECK(c.responses[2].body == "aa");
  CHECK(ev.done == std::vector<stream_id>{1, 2});
}

TEST_CASE("RFC 7540 §5.3 a pushed stream depends on its parent") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto parent = c.get("/");
  CHECK(exchange(c, e));
  auto pushed = e.push_promise(parent, promised("/a"));
  CHECK(exchange(c, e));  // nghttp2 opens the promised stream when PUSH_PROMISE goes out
  CHECK(e.priority_parent(pushed) == parent);
  CHECK(e.priority_parent(parent) == 0);
  CHECK(e.priority_parent(77) == 0);
}

TEST_CASE("RFC 9113 §8.4 push is refused when the client sent ENABLE_PUSH 0") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client::config cfg;
  cfg.settings = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0}};
  client c{cfg};
  auto parent = c.get("/");
  CHECK(exchange(c, e));
  CHECK_FALSE(e.push_enabled());
  CHECK(e.push_promise(parent, promised("/style.css")) == 0);
  CHECK(e.open_pushed_streams() == 0);
  e.reply(parent, 200, {}, "x");
  CHECK(exchange(c, e));
  CHECK(c.frames_of(NGHTTP2_PUSH_PROMISE).empty());
  CHECK(c.responses[1].body == "x");
  CHECK(ev.log == std::vector<std::string>{"request 1", "done 1"});
}

TEST_CASE("RFC 9113 §8.4 client RST_STREAM on a promised stream resets the push") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto parent = c.get("/");
  CHECK(exchange(c, e));
  auto pushed = e.push_promise(parent, promised("/big.js"));
  CHECK(exchange(c, e));
  nghttp2_submit_rst_stream(c.session(), NGHTTP2_FLAG_NONE, pushed, NGHTTP2_CANCEL);
  CHECK(exchange(c, e));
  CHECK(ev.log == std::vector<std::string>{"request 1", "reset 2 8"});
  CHECK(e.open_pushed_streams() == 0);
  // The parent is independent of its push.
  e.reply(pushed, 200, {}, "ignored");
  e.reply(parent, 200, {}, "page");
  CHECK(exchange(c, e));
  CHECK(c.responses[1].body == "page");
  CHECK(c.frames_of(NGHTTP2_DATA, 2).empty());
  CHECK(ev.log == std::vector<std::string>{"request 1", "reset 2 8", "done 1"});
}

TEST_CASE("RFC 9113 §8.4 a reset parent leaves its pushes alone") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto parent = c.get("/");
  CHECK(exchange(c, e));
  auto pushed = e.push_promise(parent, promised("/a"));
  e.reply(pushed, 200, {}, "pushed body");  // held behind the parent
  CHECK(exchange(c, e));
  nghttp2_submit_rst_stream(c.session(), NGHTTP2_FLAG_NONE, parent, NGHTTP2_CANCEL);
  CHECK(exchange(c, e));
  CHECK(c.responses[2].body == "pushed body");
  // The pushed response went while the parent had nothing to send.
  CHECK(ev.log == std::vector<std::string>{"request 1", "done 2", "reset 1 8"});
}

TEST_CASE("RFC 9113 §8.4 push_promise refuses a parent that cannot carry it") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto parent = c.get("/");
  CHECK(exchange(c, e));
  CHECK(e.push_promise(99, promised("/a")) == 0);  // unknown stream
  auto pushed = e.push_promise(parent, promised("/a"));
  CHECK(pushed == 2);
  CHECK(e.push_promise(pushed, promised("/b")) == 0);  // no nested push
  e.reply(parent, 200, {}, "x");
  CHECK(e.push_promise(parent, promised("/c")) == 0);  // the response started
  CHECK(exchange(c, e));
  CHECK(e.push_promise(parent, promised("/d")) == 0);  // closed
  CHECK(c.frames_of(NGHTTP2_PUSH_PROMISE).size() == 1);
}

TEST_CASE("RFC 9113 §8.4 push_promise after inform is allowed") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto parent = c.get("/");
  CHECK(exchange(c, e));
  e.inform(parent, 103, {{"link", "</a>; rel=preload"}});
  CHECK(e.push_promise(parent, promised("/a")) == 2);
}

TEST_CASE("RFC 9113 §8.4 push reports the client's concurrency and GOAWAY state") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client::config cfg;
  cfg.settings = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 3}};
  client c{cfg};
  auto parent = c.get("/");
  CHECK(exchange(c, e));
  CHECK(e.peer_max_concurrent_streams() == 3);
  CHECK(e.push_promise(parent, promised("/a")) == 2);
  CHECK(e.push_promise(parent, promised("/b")) == 4);
  CHECK(e.open_pushed_streams() == 2);
  e.shutdown();
  CHECK(e.going_away());
  CHECK(e.push_promise(parent, promised("/c")) == 0);
  CHECK(e.open_pushed_streams() == 2);
}

namespace {

// An engine that took a client's SETTINGS (`settings`) and first request, and the push
// capabilities it reported meanwhile.
struct settled {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  explicit settled(std::vector<nghttp2_settings_entry> settings)
      : c{client::config{std::move(settings)}} {
    c.get("/");
    CHECK(exchange(c, e));
  }
  /// The last capability reported, which must be what can_push says now.
  push_capability reported() const {
    REQUIRE_FALSE(ev.push_changes.empty());
    CHECK(e.can_push().skip == ev.push_changes.back().skip);
    return ev.push_changes.back();
  }
};

}  // namespace

TEST_CASE("RFC 9113 §8.4 the push capability follows the client's SETTINGS and our GOAWAY") {
  settled s{{{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 3}}};
  // The client's SETTINGS came before its request, and were reported as they came.
  CHECK(s.reported().skip == push_skip::none);
  CHECK(s.reported().max_concurrent == 3);
  s.e.shutdown();
  CHECK(s.reported().skip == push_skip::connection_closing);
}

TEST_CASE("RFC 9113 §8.4 a client that disables push makes the capability say so") {
  settled s{{{NGHTTP2_SETTINGS_ENABLE_PUSH, 0}}};
  CHECK(s.reported().skip == push_skip::disabled_by_client);
}

TEST_CASE("RFC 9113 §8.4 a client's GOAWAY ends the push capability") {
  settled s{{}};
  // GOAWAY(NO_ERROR), last stream 0 (RFC 9113 §6.8): a graceful goodbye, no error.
  s.ev.push_changes.clear();
  nghttp2_submit_goaway(s.c.session(), NGHTTP2_FLAG_NONE, 0, NGHTTP2_NO_ERROR, nullptr, 0);
  CHECK(s.e.feed(s.c.send()));
  CHECK_FALSE(s.e.should_close());  // stream 1 still waits for its response
  REQUIRE(s.ev.push_changes.size() == 1);
  CHECK(s.reported().skip == push_skip::connection_closing);
}

TEST_CASE("RFC 9113 §8.4 a pushed HEAD gets headers only") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto parent = c.get("/");
  CHECK(exchange(c, e));
  auto head = promised("/h");
  head.method = "HEAD";
  auto pushed = e.push_promise(parent, head);
  e.reply(parent, 200, {}, "p");
  e.reply(pushed, 200, {}, "12345");
  CHECK(exchange(c, e));
  CHECK(c.promises[2].at(0) == header{":method", "HEAD"});
  CHECK(c.responses[2].blocks.at(0) == headers{{":status", "200"}, {"content-length", "5"}});
  CHECK(c.responses[2].body == "");
  CHECK(ev.done == std::vector<stream_id>{1, 2});
}
