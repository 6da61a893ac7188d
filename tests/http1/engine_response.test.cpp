// The HTTP/1.1 engine, response side: heads, framing, streamed bodies and trailers, 1xx,
// and 100 Continue.
#include "rodeo/internal/protocol/http1/engine.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "http1/recorder.hpp"

using rodeo::protocol_limits;
using rodeo::test::error_response;
using rodeo::test::fixed_tail;
using rodeo::test::h1_fixture;
using rodeo::test::ok_response;
using log_t = std::vector<std::string>;

namespace {

const std::string tail{fixed_tail};

std::string get(std::string_view path, std::string_view method = "GET") {
  return std::string{method} + " " + std::string{path} + " HTTP/1.1\r\nHost: h\r\n\r\n";
}

}  // namespace

TEST_CASE("RFC 9110 §9.3.2: a HEAD response has content-length but no body") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/", "HEAD")));
  h.engine.reply(1, 200, {{"content-type", "text/html"}}, "<html></html>");
  CHECK(h.output() ==
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 13\r\n" + tail + "\r\n");
}

TEST_CASE("RFC 9110 §8.6: a HEAD reply without a body keeps the handler's content-length") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/", "HEAD")));
  h.engine.reply(1, 200, {{"content-length", "42"}}, "");
  CHECK(h.output() == "HTTP/1.1 200 OK\r\ncontent-length: 42\r\n" + tail + "\r\n");
}

TEST_CASE("RFC 9110 §6.4.1: 204 has no content-length and no body, 304 keeps the length") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1") + get("/2")));
  h.engine.reply(1, 204, {{"content-length", "3"}}, "abc");
  h.engine.reply(2, 304, {{"etag", "\"x\""}, {"content-length", "120"}}, "ignored");
  CHECK(h.output() == "HTTP/1.1 204 No Content\r\n" + tail + "\r\n" +
                          "HTTP/1.1 304 Not Modified\r\netag: \"x\"\r\ncontent-length: 120\r\n" +
                          tail + "\r\n");
}

TEST_CASE("RFC 9112 §7.1: a streamed response without content-length is chunked, with trailers") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/s")));
  h.engine.stream_reply(1, 200, {{"content-type", "text/plain"}, {"trailer", "x-checksum"}});
  h.engine.stream_body(1, "hello", false);
  h.engine.stream_body(1, "", false);  // an empty chunk would end the body: nothing is written
  h.engine.stream_body(1, std::string(20, 'w'), false);
  CHECK(h.engine.open_streams() == 1);
  h.engine.stream_trailers(1, {{"x-checksum", "abc"}});
  CHECK(h.output() ==
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntrailer: x-checksum\r\n"
        "transfer-encoding: chunked\r\n" +
            tail +
            "\r\n"
            "5\r\nhello\r\n14\r\n" +
            std::string(20, 'w') + "\r\n0\r\nx-checksum: abc\r\n\r\n");
  CHECK(h.events.log == log_t{"request 1 GET /s", "done 1"});
  CHECK(h.engine.open_streams() == 0);
}

TEST_CASE("RFC 9112 §7.1: stream_body with fin writes the last chunk") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/s")));
  h.engine.stream_reply(1, 200, {});
  h.engine.stream_body(1, "ab", true);
  CHECK(h.output() ==
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n" + tail + "\r\n2\r\nab\r\n0\r\n\r\n");
  CHECK_FALSE(h.engine.should_close());
}

TEST_CASE("RFC 9112 §6.3: a streamed response with content-length is sent as is") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1") + get("/2")));
  h.engine.stream_reply(1, 200, {{"content-length", "5"}});
  h.engine.stream_body(1, "hel", false);
  h.engine.stream_body(1, "lo", true);
  CHECK(h.output() == "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n" + tail + "\r\nhello");
  CHECK_FALSE(h.engine.should_close());
  SUBCASE("a body shorter than declared closes the connection") {
    h.engine.stream_reply(2, 200, {{"content-length", "5"}});
    h.engine.stream_body(2, "hel", true);
    CHECK(h.output() == "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n" + tail + "\r\nhel");
    CHECK(h.engine.should_close());
  }
  SUBCASE("bytes past the declared length are dropped and the connection closes") {
    h.engine.stream_reply(2, 200, {{"content-length", "2"}});
    h.engine.stream_body(2, "hello", true);
    CHECK(h.output() == "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n" + tail + "\r\nhe");
    CHECK(h.engine.should_close());
  }
}

TEST_CASE("RFC 9112 §6.3: a streamed response to HTTP/1.0 is delimited by the close") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  h.engine.stream_reply(1, 200, {});
  h.engine.stream_body(1, "abc", false);
  h.engine.stream_trailers(1, {{"x-dropped", "1"}});
  CHECK(h.output() == "HTTP/1.1 200 OK\r\n" + tail + "connection: close\r\n\r\nabc");
  CHECK(h.engine.should_close());
}

TEST_CASE("RFC 9110 §15.2: inform sends 1xx responses before the final one") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1") + get("/2")));
  h.engine.inform(2, 103, {{"link", "</b.css>; rel=preload"}});  // waits for stream 1
  h.engine.inform(1, 103, {{"link", "</a.css>; rel=preload"}});
  h.engine.inform(1, 101, {});  // not for handlers
  h.engine.inform(1, 200, {});  // not informational
  CHECK(h.output() == "HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n");
  h.engine.reply(1, 200, {}, "1");
  h.engine.inform(1, 103, {});  // after the final response: ignored
  CHECK(h.output() ==
        ok_response("1") + "HTTP/1.1 103 Early Hints\r\nlink: </b.css>; rel=preload\r\n\r\n");
  h.engine.reply(2, 200, {}, "2");
  CHECK(h.output() == ok_response("2"));
}

TEST_CASE("RFC 9110 §15.2: no 1xx response goes to an HTTP/1.0 client") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET / HTTP/1.0\r\n\r\n"));
  h.engine.inform(1, 103, {{"link", "</a.css>; rel=preload"}});
  CHECK(h.output().empty());
  h.engine.reply(1, 200, {}, "x");
  CHECK(h.output() == ok_response("x", "connection: close\r\n"));
}

TEST_CASE("RFC 9112 §9.6: a handler's connection: close ends the connection") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1") + get("/2")));
  h.engine.reply(2, 200, {}, "2");
  h.engine.reply(1, 200, {{"Connection", "close"}}, "1");
  CHECK(h.output() == ok_response("1", "connection: close\r\n"));
  CHECK(h.engine.should_close());
  CHECK(h.events.log == log_t{"request 1 GET /1", "request 2 GET /2", "done 1", "reset 2 0"});
}

TEST_CASE("RFC 9112 §6.1: framing fields are the engine's, invalid fields are dropped") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/")));
  h.engine.reply(1, 200,
                 {{"Content-Length", "99"},
                  {"transfer-encoding", "gzip"},
                  {"keep-alive", "timeout=5"},
                  {"x-split", "a\r\nset-cookie: evil=1"},
                  {"bad name", "x"},
                  {"x-ok", "fine"}},
                 "abc");
  CHECK(h.output() == "HTTP/1.1 200 OK\r\nx-ok: fine\r\ncontent-length: 3\r\n" + tail + "\r\nabc");
}

TEST_CASE("RFC 9110 §6.6.1: a handler's date and server replace the engine's") {
  rodeo::test::recorder events;
  rodeo::http1::engine_options options = rodeo::test::fixed_options();
  options.server.clear();
  rodeo::http1::engine engine(events, {}, false, options);
  REQUIRE(engine.feed(get("/1") + get("/2")));
  engine.reply(1, 200, {{"date", "Mon, 07 Nov 1994 08:49:37 GMT"}, {"server", "mine"}}, "");
  engine.reply(2, 200, {}, "");
  std::string out;
  engine.take_output(out);
  CHECK(out ==
        "HTTP/1.1 200 OK\r\ndate: Mon, 07 Nov 1994 08:49:37 GMT\r\nserver: mine\r\n"
        "content-length: 0\r\n\r\n"
        "HTTP/1.1 200 OK\r\ncontent-length: 0\r\ndate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
}

TEST_CASE("RFC 9110 §10.1.1: Expect 100-continue gets 100 Continue once the headers are read") {
  h1_fixture h;
  REQUIRE(
      h.engine.feed("PUT /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
                    "Expect: 100-Continue\r\n\r\n"));
  CHECK(h.events.log == log_t{"request 1 PUT /f"});
  CHECK(h.output() == "HTTP/1.1 100 Continue\r\n\r\n");
  REQUIRE(h.engine.feed("hello"));
  CHECK(h.events.body(1) == "hello");
  h.engine.reply(1, 201, {}, "");
  CHECK(h.output() == "HTTP/1.1 201 Created\r\ncontent-length: 0\r\n" + tail + "\r\n");
  CHECK_FALSE(h.engine.should_close());
}

TEST_CASE("RFC 9110 §10.1.1: 100 Continue waits for the responses before it") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1") + "PUT /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
                                    "Expect: 100-continue\r\n\r\n"));
  CHECK(h.output().empty());
  h.engine.reply(1, 200, {}, "1");
  CHECK(h.output() == ok_response("1") + "HTTP/1.1 100 Continue\r\n\r\n");
}

TEST_CASE("RFC 9110 §10.1.1: a final response instead of 100 Continue closes the connection") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1") + "PUT /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
                                    "Expect: 100-continue\r\n\r\n"));
  h.engine.reply(2, 403, {}, "");
  h.engine.reply(1, 200, {}, "1");
  CHECK(h.output() == ok_response("1") + "HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n" + tail +
                          "connection: close\r\n\r\n");
  CHECK(h.engine.should_close());
}

TEST_CASE("RFC 9110 §10.1.1: Expect 100-continue above max_body gets 413, not 100") {
  protocol_limits limits;
  limits.max_body = 4;
  h1_fixture h(limits);
  CHECK_FALSE(
      h.engine.feed("PUT /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
                    "Expect: 100-continue\r\n\r\n"));
  CHECK(h.events.requests.empty());
  CHECK(h.output() == error_response("413 Content Too Large", "Content Too Large"));
  CHECK(h.engine.should_close());
}

TEST_CASE("RFC 9110 §10.1.1: no 100 Continue to HTTP/1.0 or without a body") {
  h1_fixture h;
  REQUIRE(
      h.engine.feed("PUT /f HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 1\r\n"
                    "Expect: 100-continue\r\n\r\nx"
                    "GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n"));
  CHECK(h.events.requests.size() == 2);
  CHECK(h.output().empty());
}

TEST_CASE("RFC 9110 §9.3.2: a streamed response to HEAD has no body and no chunked coding") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1", "HEAD") + get("/2", "HEAD")));
  h.engine.stream_reply(1, 200, {{"content-type", "text/plain"}});
  h.engine.stream_body(1, "dropped", true);
  h.engine.stream_reply(2, 200, {{"content-length", "7"}});
  h.engine.stream_trailers(2, {{"x-t", "1"}});
  CHECK(h.output() == "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n" + tail + "\r\n" +
                          "HTTP/1.1 200 OK\r\ncontent-length: 7\r\n" + tail + "\r\n");
  CHECK_FALSE(h.engine.should_close());
  CHECK(h.engine.open_streams() == 0);
}

TEST_CASE("RFC 9112 §9.3: an HTTP/1.1 keep-alive request gets no connection field") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n"));
  h.engine.reply(1, 200, {}, "");
  CHECK(h.output() == ok_response(""));
}

TEST_CASE("RFC 9110 §15: a command out of the response's order is dropped") {
  // Each row: legal calls, a call the response state refuses, then the legal end. The output
  // must be what the legal calls alone write.
  using engine = rodeo::http1::engine;
  struct row {
    std::string name;
    std::function<void(engine&)> before, misuse, after;
  };
  auto streamed = [](engine& e) { e.stream_reply(1, 200, {}); };
  auto piece = [](engine& e) {
    e.stream_reply(1, 200, {});
    e.stream_body(1, "a", false);
  };
  auto nothing = [](engine&) {};
  auto fin = [](engine& e) { e.stream_body(1, "z", true); };
  auto ok = [](engine& e) { e.reply(1, 200, {}, "ok"); };
  const std::vector<row> table = {
      {"inform after stream_reply", streamed, [](engine& e) { e.inform(1, 103, {}); }, fin},
      {"inform mid-body", piece, [](engine& e) { e.inform(1, 103, {}); }, fin},
      {"reply after stream_reply", streamed, [](engine& e) { e.reply(1, 500, {}, "x"); }, fin},
      {"stream_reply twice", streamed, [](engine& e) { e.stream_reply(1, 404, {}); }, fin},
      {"stream_reply mid-body", piece, [](engine& e) { e.stream_reply(1, 404, {}); }, fin},
      {"stream_body before stream_reply", nothing, [](engine& e) { e.stream_body(1, "x", false); },
       ok},
      {"stream_body fin before stream_reply", nothing,
       [](engine& e) { e.stream_body(1, "x", true); }, ok},
      {"stream_trailers before stream_reply", nothing,
       [](engine& e) {
         e.stream_trailers(1, {{"x", "1"}});
       },
       ok},
  };
  for (const auto& t : table) {
    CAPTURE(t.name);
    h1_fixture legal, mixed;
    REQUIRE(legal.engine.feed(get("/")));
    REQUIRE(mixed.engine.feed(get("/")));
    t.before(legal.engine);
    t.after(legal.engine);
    t.before(mixed.engine);
    t.misuse(mixed.engine);
    t.after(mixed.engine);
    CHECK(mixed.output() == legal.output());
    CHECK(mixed.events.log == legal.events.log);
    CHECK(mixed.engine.open_streams() == 0);
  }
}

TEST_CASE("RFC 9110 §15: reset_stream after a complete response is delivered, not cut") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1") + get("/2")));
  h.engine.reply(2, 200, {}, "two");  // complete, waiting behind stream 1
  h.engine.reset_stream(2);           // the handler threw after replying
  h.engine.reply(1, 200, {}, "one");
  CHECK(h.output() == ok_response("one") + ok_response("two"));
  CHECK(h.events.log == log_t{"request 1 GET /1", "request 2 GET /2", "done 1", "done 2"});
  CHECK_FALSE(h.engine.should_close());
}

namespace {

// The bytes of `out` that are pieces referencing `buf`, checked to lie inside it.
std::size_t referenced(const rodeo::gathered_output& out, const std::string& buf) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < out.pieces(); ++i) {
    if (!out.piece_shared(i)) continue;
    auto p = out.piece(i);
    CHECK(p.data() >= buf.data());
    CHECK(p.data() + p.size() <= buf.data() + buf.size());
    n += p.size();
  }
  return n;
}

}  // namespace

TEST_CASE("a shared body is written from its buffer, not copied (content-length and chunked)") {
  auto buf = std::make_shared<const std::string>(60 * 1024, 'j');
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/app.js") + get("/stream")));
  h.engine.reply(1, 200, {}, rodeo::body_bytes::share(buf));
  h.engine.stream_reply(2, 200, {});
  h.engine.stream_body(2, rodeo::body_bytes::share(buf), true);
  CHECK(buf.use_count() == 3);

  rodeo::gathered_output out;
  h.engine.take_output(out);
  CHECK(referenced(out, *buf) == 2 * buf->size());
  std::string wire;
  out.copy_to(wire);
  out.clear();
  CHECK(buf.use_count() == 1);
  CHECK(wire == "HTTP/1.1 200 OK\r\ncontent-length: 61440\r\n" + tail + "\r\n" + *buf +
                    "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n" + tail + "\r\n" +
                    "f000\r\n" + *buf + "\r\n0\r\n\r\n");
}
