// The HTTP/1.1 engine, connection side: persistence, pipelining order, read back-pressure,
// any split of the input, graceful shutdown and abandoned streams.
#include "rodeo/internal/protocol/http1/engine.hpp"

#include <cstdint>
#include <set>

#include <doctest/doctest.h>

#include "http1/recorder.hpp"

using rodeo::protocol_limits;
using rodeo::stream_id;
using rodeo::test::fixed_tail;
using rodeo::test::h1_fixture;
using rodeo::test::ok_response;
using log_t = std::vector<std::string>;

namespace {

std::string get(std::string_view path, std::string_view extra = {}) {
  return "GET " + std::string{path} + " HTTP/1.1\r\nHost: h\r\n" + std::string{extra} + "\r\n";
}

}  // namespace

TEST_CASE("RFC 9112 §9.3: HTTP/1.1 keeps the connection open between requests") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1")));
  h.engine.reply(1, 200, {}, "one");
  CHECK(h.output() == ok_response("one"));
  CHECK_FALSE(h.engine.should_close());
  REQUIRE(h.engine.feed(get("/2")));
  h.engine.reply(2, 200, {}, "two");
  CHECK(h.output() == ok_response("two"));
  CHECK_FALSE(h.engine.should_close());
  CHECK(h.events.log == log_t{"request 1 GET /1", "done 1", "request 2 GET /2", "done 2"});
}

TEST_CASE("RFC 9112 §9.3: HTTP/1.0 closes after the response") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET / HTTP/1.0\r\n\r\nGET /next HTTP/1.0\r\n\r\n"));
  CHECK(h.events.requests.size() == 1);
  CHECK_FALSE(h.engine.want_read());
  CHECK_FALSE(h.engine.should_close());
  h.engine.reply(1, 200, {}, "x");
  CHECK(h.output() == ok_response("x", "connection: close\r\n"));
  CHECK(h.engine.should_close());
  CHECK(h.events.requests.size() == 1);
}

TEST_CASE("RFC 9112 §9.3: HTTP/1.0 with Connection: keep-alive persists and says so") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  h.engine.reply(1, 200, {}, "x");
  CHECK(h.output() == ok_response("x", "connection: keep-alive\r\n"));
  CHECK_FALSE(h.engine.should_close());
  REQUIRE(h.engine.feed("GET /2 HTTP/1.0\r\n\r\n"));
  CHECK(h.events.requests.size() == 2);
}

TEST_CASE("RFC 9112 §9.6: Connection: close ends the connection after that response") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/last", "Connection: close\r\n") + get("/ignored")));
  CHECK(h.events.log == log_t{"request 1 GET /last"});
  CHECK_FALSE(h.engine.want_read());
  h.engine.reply(1, 200, {}, "bye");
  CHECK(h.output() == ok_response("bye", "connection: close\r\n"));
  CHECK(h.engine.should_close());
  CHECK(h.engine.feed(get("/more")));  // harmless, ignored
  CHECK(h.events.log == log_t{"request 1 GET /last", "done 1"});
}

TEST_CASE("RFC 9112 §9.3.2: pipelined responses leave in request order") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1") + get("/2") + get("/3")));
  CHECK(h.events.log == log_t{"request 1 GET /1", "request 2 GET /2", "request 3 GET /3"});
  CHECK(h.engine.open_streams() == 3);

  h.engine.reply(2, 200, {}, "two");
  h.engine.reply(3, 200, {}, "three");
  CHECK(h.output().empty());
  CHECK(h.engine.queued_bytes(2) == ok_response("two").size());
  CHECK(h.engine.queued_bytes(3) == ok_response("three").size());
  CHECK(h.engine.open_streams() == 1);  // 2 and 3 are answered, waiting for 1

  h.engine.reply(1, 200, {}, "one");
  CHECK(h.engine.queued_bytes(2) == ok_response("two").size());  // not taken yet
  CHECK(h.output() == ok_response("one") + ok_response("two") + ok_response("three"));
  CHECK(h.engine.queued_bytes(2) == 0);
  CHECK(h.events.log == log_t{"request 1 GET /1", "request 2 GET /2", "request 3 GET /3", "done 1",
                              "done 2", "done 3"});
  CHECK(h.engine.open_streams() == 0);
}

TEST_CASE("RFC 9112 §9.3.2: the first stream's streamed response is written through") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1") + get("/2")));
  h.engine.reply(2, 200, {}, "two");
  h.engine.stream_reply(1, 200, {});
  h.engine.stream_body(1, "abc", false);
  std::string head1 =
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n" + std::string{fixed_tail} + "\r\n";
  CHECK(h.output() == head1 + "3\r\nabc\r\n");
  CHECK(h.engine.queued_bytes(1) == 0);
  h.engine.stream_body(1, "de", true);
  CHECK(h.output() == "2\r\nde\r\n0\r\n\r\n" + ok_response("two"));
}

TEST_CASE("RFC 9112 §9.3.2: want_read is false while max_concurrent_streams requests wait") {
  protocol_limits limits;
  limits.max_concurrent_streams = 2;
  h1_fixture h(limits);
  REQUIRE(h.engine.feed(get("/1") + get("/2") + get("/3") + get("/4") + get("/5")));
  CHECK(h.events.requests.size() == 2);
  CHECK_FALSE(h.engine.want_read());

  h.engine.reply(2, 200, {}, "2");  // answered but not out: still in the pipeline
  CHECK_FALSE(h.engine.want_read());
  h.engine.reply(1, 200, {}, "1");
  CHECK(h.engine.want_read());
  CHECK(h.events.requests.size() == 2);  // parsing resumes on the next feed, not inside reply
  REQUIRE(h.engine.feed({}));
  CHECK(h.events.requests.size() == 4);
  CHECK_FALSE(h.engine.want_read());
  h.engine.reply(3, 200, {}, "3");
  REQUIRE(h.engine.feed({}));
  CHECK(h.events.requests.size() == 5);
  CHECK_FALSE(h.engine.want_read());  // 4 and 5 are outstanding
  h.engine.reply(5, 200, {}, "5");
  h.engine.reply(4, 200, {}, "4");
  CHECK(h.engine.want_read());
  CHECK(h.output() == ok_response("1") + ok_response("2") + ok_response("3") + ok_response("4") +
                          ok_response("5"));
}

TEST_CASE("RFC 9112 §9.3.2: a deep pipeline under back-pressure is answered in order") {
  protocol_limits limits;
  limits.max_concurrent_streams = 3;
  h1_fixture h(limits);
  std::string pipeline, expected;
  for (int i = 1; i <= 40; ++i) {
    pipeline += get("/" + std::to_string(i));
    expected += ok_response("r" + std::to_string(i));
  }
  // Fed in 7-byte pieces, only while the engine wants to read; each round answers the newest
  // unanswered request, so answers arrive out of order and wait for the older ones.
  std::size_t sent = 0;
  std::set<stream_id> answered;
  std::string out;
  while (answered.size() < 40) {
    while (h.engine.want_read() && sent < pipeline.size()) {
      auto piece = pipeline.substr(sent, 7);
      sent += piece.size();
      REQUIRE(h.engine.feed(piece));
    }
    REQUIRE(h.engine.feed({}));
    CHECK(h.events.requests.size() - answered.size() <= 3);
    stream_id newest = 0;
    for (const auto& [id, head] : h.events.requests)
      if (!answered.contains(id)) newest = id;
    REQUIRE(newest != 0);
    h.engine.reply(newest, 200, {}, "r" + std::to_string(newest));
    answered.insert(newest);
    out += h.output();
  }
  CHECK(h.events.requests.size() == 40);
  CHECK(out == expected);
}

TEST_CASE("RFC 9112 §9.3.2: a full pipeline still reads the body of its last request") {
  protocol_limits limits;
  limits.max_concurrent_streams = 1;
  h1_fixture h(limits);
  REQUIRE(h.engine.feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab"));
  CHECK(h.engine.want_read());  // the handler may be waiting for this body
  REQUIRE(h.engine.feed("cd" + get("/next")));
  CHECK(h.events.body(1) == "abcd");
  CHECK(h.events.log == log_t{"request 1 POST /", "fin 1"});
  CHECK_FALSE(h.engine.want_read());
  h.engine.reply(1, 200, {}, "");
  REQUIRE(h.engine.feed({}));
  CHECK(h.events.log == log_t{"request 1 POST /", "fin 1", "done 1", "request 2 GET /next"});
}

namespace {

const std::string mixed_pipeline =
    get("/a") + "POST /b?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello" +
    "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n"
    "0\r\n\r\n" +
    "HEAD /d HTTP/1.1\r\nHost: h\r\n\r\n" + get("/e", "Connection: close\r\n") + get("/f");

const std::string mixed_answers =
    ok_response("GET /a") + ok_response("hello") + ok_response("abcde") +
    "HTTP/1.1 200 OK\r\ncontent-length: 7\r\n" + std::string{fixed_tail} + "\r\n" +
    ok_response("GET /e", "connection: close\r\n");

const log_t mixed_log = {"request 1 GET /a",
                         "done 1",
                         "request 2 POST /b",
                         "fin 2",
                         "done 2",
                         "request 3 POST /c",
                         "fin 3",
                         "done 3",
                         "request 4 HEAD /d",
                         "done 4",
                         "request 5 GET /e",
                         "done 5"};

// Answers each request from inside the events, as soon as its body is complete.
void answer_at_once(h1_fixture& h) {
  h.events.when_request = [&h](stream_id id) {
    for (const auto& [i, head] : h.events.requests)
      if (i == id && !head.has_body) h.engine.reply(id, 200, {}, head.method + " " + head.path);
  };
  h.events.when_body_done = [&h](stream_id id) { h.engine.reply(id, 200, {}, h.events.body(id)); };
}

}  // namespace

TEST_CASE("RFC 9112 §2.2: any split of a pipeline gives the same events and bytes") {
  for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{5},
                            std::size_t{13}, std::size_t{64}, mixed_pipeline.size()}) {
    CAPTURE(piece);
    h1_fixture h;
    answer_at_once(h);
    for (std::size_t at = 0; at < mixed_pipeline.size(); at += piece)
      REQUIRE(h.engine.feed(std::string_view{mixed_pipeline}.substr(at, piece)));
    CHECK(h.events.log == mixed_log);
    CHECK(h.output() == mixed_answers);
    CHECK(h.events.requests[1].second.qs == "x=1");
    CHECK(h.engine.should_close());
  }
}

TEST_CASE("RFC 9112 §2.2: byte-at-a-time feeding with late answers out of order") {
  h1_fixture whole, bytewise;
  REQUIRE(whole.engine.feed(mixed_pipeline));
  REQUIRE(bytewise.feed_bytewise(mixed_pipeline));
  for (auto* h : {&whole, &bytewise}) {
    CHECK(h->events.requests.size() == 5);
    for (stream_id id = 5; id >= 1; --id) {
      const auto& head = h->events.requests[static_cast<std::size_t>(id - 1)].second;
      h->engine.reply(id, 200, {},
                      head.has_body ? h->events.body(id) : head.method + " " + head.path);
    }
    CHECK(h->output() == mixed_answers);
    CHECK(h->engine.should_close());
  }
  CHECK(whole.events.log == bytewise.events.log);
  CHECK(whole.events.bodies == bytewise.events.bodies);
  for (std::size_t i = 0; i < 5; ++i) {
    const auto& a = whole.events.requests[i].second;
    const auto& b = bytewise.events.requests[i].second;
    CHECK(a.method == b.method);
    CHECK(a.path == b.path);
    CHECK(a.qs == b.qs);
    CHECK(a.fields == b.fields);
    CHECK(a.content_length == b.content_length);
    CHECK(a.has_body == b.has_body);
  }
}

TEST_CASE("RFC 9112 §9.6: a stream answered before its body ended drops the rest of it") {
  h1_fixture h;
  REQUIRE(h.engine.feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\nabc"));
  h.engine.reply(1, 413, {}, "no");
  CHECK(h.events.log == log_t{"request 1 POST /", "done 1"});
  REQUIRE(h.engine.feed("def" + get("/next")));
  CHECK(h.events.body(1) == "abc");
  CHECK(h.events.log == log_t{"request 1 POST /", "done 1", "request 2 GET /next"});
}

TEST_CASE("RFC 9112 §9.6: shutdown answers what is outstanding, takes nothing new, then closes") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1") + get("/2")));
  h.engine.shutdown();
  CHECK_FALSE(h.engine.should_close());
  CHECK_FALSE(h.engine.want_read());
  CHECK(h.engine.feed(get("/3")));
  CHECK(h.events.requests.size() == 2);
  h.engine.reply(1, 200, {}, "1");
  CHECK_FALSE(h.engine.should_close());
  h.engine.reply(2, 200, {}, "2");
  CHECK(h.output() == ok_response("1") + ok_response("2", "connection: close\r\n"));
  CHECK(h.engine.should_close());
  CHECK(h.events.log == log_t{"request 1 GET /1", "request 2 GET /2", "done 1", "done 2"});
}

TEST_CASE("RFC 9112 §9.6: shutdown with nothing outstanding closes at once") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET / HTTP/1.1\r\nHo"));
  h.engine.shutdown();
  CHECK(h.engine.should_close());
  CHECK(h.engine.feed("st: h\r\n\r\n"));
  CHECK(h.events.requests.empty());
  CHECK(h.output().empty());
}

TEST_CASE("RFC 9112 §9.6: shutdown still delivers the body of a reported request") {
  h1_fixture h;
  REQUIRE(h.engine.feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhe"));
  h.engine.shutdown();
  REQUIRE(h.engine.feed("llo" + get("/next")));
  CHECK(h.events.log == log_t{"request 1 POST /", "fin 1"});
  CHECK(h.events.body(1) == "hello");
  h.engine.reply(1, 200, {}, "ok");
  CHECK(h.output() == ok_response("ok", "connection: close\r\n"));
  CHECK(h.engine.should_close());
}

TEST_CASE("RFC 9112 §8: reset_stream cuts a response short, closing after the ones before it") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1") + get("/2") + get("/3")));
  h.engine.stream_reply(2, 200, {});
  h.engine.stream_body(2, "part", false);
  h.engine.reset_stream(2);
  CHECK(h.output().empty());
  CHECK_FALSE(h.engine.should_close());
  CHECK_FALSE(h.engine.want_read());
  h.engine.reply(1, 200, {}, "one");
  CHECK(h.output() == ok_response("one") + "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n" +
                          std::string{fixed_tail} + "\r\n4\r\npart\r\n");
  CHECK(h.events.log ==
        log_t{"request 1 GET /1", "request 2 GET /2", "request 3 GET /3", "done 1", "reset 3 0"});
  CHECK(h.engine.should_close());
  CHECK(h.engine.open_streams() == 0);
  h.engine.reply(3, 200, {}, "late");  // forgotten stream: harmless
  CHECK(h.output().empty());
}

TEST_CASE("a command for an unknown or finished stream is harmless") {
  h1_fixture h;
  REQUIRE(h.engine.feed(get("/1")));
  h.engine.reply(1, 200, {}, "a");
  std::string first = h.output();
  h.engine.reply(1, 200, {}, "again");
  h.engine.stream_body(1, "x", true);
  h.engine.inform(7, 103, {});
  h.engine.reset_stream(9);
  CHECK(first == ok_response("a"));
  CHECK(h.output().empty());
  CHECK_FALSE(h.engine.should_close());
}

TEST_CASE("RFC 9112 §2.2: mutated pipelines give the same result however they are split") {
  // A fixed-seed generator: the same inputs on every run.
  std::uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  for (int round = 0; round < 300; ++round) {
    CAPTURE(round);
    std::string input = mixed_pipeline;
    for (int flips = 1 + static_cast<int>(next() % 3); flips > 0; --flips)
      input[next() % input.size()] = static_cast<char>(next() & 0xff);
    h1_fixture whole, split;
    answer_at_once(whole);
    answer_at_once(split);
    bool whole_ok = whole.engine.feed(input);
    bool split_ok = true;
    for (std::size_t at = 0; at < input.size() && split_ok;) {
      auto piece = 1 + next() % 9;
      split_ok = split.engine.feed(std::string_view{input}.substr(at, piece));
      at += piece;
    }
    CHECK(whole_ok == split_ok);
    CHECK(whole.events.log == split.events.log);
    CHECK(whole.events.bodies == split.events.bodies);
    CHECK(whole.output() == split.output());
    CHECK(whole.engine.should_close() == split.engine.should_close());
  }
}
