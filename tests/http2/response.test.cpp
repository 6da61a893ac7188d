// The HTTP/2 engine's outbound half: flow control, streamed replies, trailers, 1xx, and how
// streams end (RFC 9113 §5.1, §6.9, §8.1).
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "h2_client.hpp"
#include "rodeo/internal/protocol/http2/engine.hpp"

using namespace rodeo;
using rodeo::test::client;
using rodeo::test::exchange;
using rodeo::test::recorder;
using rodeo::test::upload;

TEST_CASE("RFC 9113 §6.9 a response larger than the window completes after WINDOW_UPDATE") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client::config cfg;
  cfg.settings = {{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 100}};
  cfg.auto_window_update = false;  // the test opens the window by hand
  client c{cfg};
  auto id = c.get("/big");
  CHECK(exchange(c, e));
  std::string body;
  for (int i = 0; i < 1000; ++i) body += static_cast<char>('a' + i % 26);
  e.reply(id, 200, {}, body);
  CHECK(exchange(c, e));
  CHECK(c.responses[id].body.size() == 100);
  CHECK(e.queued_bytes(id) == 900);
  CHECK(ev.done.empty());
  CHECK(e.open_streams() == 1);

  nghttp2_submit_window_update(c.session(), NGHTTP2_FLAG_NONE, id, 400);
  CHECK(exchange(c, e));
  CHECK(c.responses[id].body.size() == 500);
  CHECK(e.queued_bytes(id) == 500);

  nghttp2_submit_window_update(c.session(), NGHTTP2_FLAG_NONE, id, 500);
  CHECK(exchange(c, e));
  CHECK(c.responses[id].body == body);
  CHECK(e.queued_bytes(id) == 0);
  auto data = c.frames_of(NGHTTP2_DATA, id);
  REQUIRE(data.size() == 3);
  CHECK(data[0].length == 100);
  CHECK(data[1].length == 400);
  CHECK(data[2].length == 500);
  CHECK(data[2].end_stream());
  CHECK(ev.done == std::vector<stream_id>{1});
}

TEST_CASE("RFC 9113 §8.1 streamed reply with trailers") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/stream", {{"te", "trailers"}});
  CHECK(exchange(c, e));
  e.stream_reply(id, 200, {{"content-type", "text/plain"}, {"trailer", "x-checksum"}});
  CHECK(exchange(c, e));
  auto& r = c.responses[id];
  REQUIRE(r.blocks.size() == 1);
  // No content-length: the length is not known in advance.
  CHECK(r.blocks[0] ==
        headers{{":status", "200"}, {"content-type", "text/plain"}, {"trailer", "x-checksum"}});
  CHECK(c.frames_of(NGHTTP2_DATA, id).empty());  // nothing to send yet
  CHECK_FALSE(c.frames_of(NGHTTP2_HEADERS, id).at(0).end_stream());

  e.stream_body(id, "hello ", false);
  CHECK(exchange(c, e));
  CHECK(r.body == "hello ");
  e.stream_body(id, "world", false);
  e.stream_trailers(id, {{"X-Checksum", "1234"}});
  CHECK(e.queued_bytes(id) == 5);
  CHECK(exchange(c, e));
  CHECK(r.body == "hello world");
  REQUIRE(r.blocks.size() == 2);
  CHECK(r.blocks[1] == headers{{"x-checksum", "1234"}});
  auto data = c.frames_of(NGHTTP2_DATA, id);
  REQUIRE(data.size() == 2);
  CHECK_FALSE(data[1].end_stream());  // the trailers carry END_STREAM
  auto hs = c.frames_of(NGHTTP2_HEADERS, id);
  REQUIRE(hs.size() == 2);
  CHECK(hs[1].end_stream());
  CHECK(r.closed);
  CHECK(ev.done == std::vector<stream_id>{1});
  // After the end, more body is ignored.
  e.stream_body(id, "late", true);
  CHECK(exchange(c, e));
  CHECK(r.body == "hello world");
}

TEST_CASE("RFC 9113 §8.1 streamed reply ended by an empty fin chunk") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/");
  CHECK(exchange(c, e));
  e.stream_reply(id, 200, {{"content-length", "3"}});
  e.stream_body(id, "abc", false);
  CHECK(exchange(c, e));
  CHECK(ev.done.empty());
  e.stream_body(id, "", true);
  CHECK(exchange(c, e));
  auto& r = c.responses[id];
  CHECK(r.blocks.at(0) == headers{{":status", "200"}, {"content-length", "3"}});
  CHECK(r.body == "abc");
  auto data = c.frames_of(NGHTTP2_DATA, id);
  REQUIRE(data.size() == 2);
  CHECK(data[1].length == 0);
  CHECK(data[1].end_stream());
  CHECK(ev.done == std::vector<stream_id>{1});
}

TEST_CASE("RFC 9110 §9.3.2 streamed reply to HEAD ends on HEADERS") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.request(
      {{":method", "HEAD"}, {":scheme", "https"}, {":authority", "example.com"}, {":path", "/"}});
  CHECK(exchange(c, e));
  e.stream_reply(id, 200, {});
  e.stream_body(id, "dropped", true);
  CHECK(exchange(c, e));
  CHECK(c.frames_of(NGHTTP2_HEADERS, id).at(0).end_stream());
  CHECK(c.frames_of(NGHTTP2_DATA, id).empty());
  CHECK(ev.done == std::vector<stream_id>{1});
}

TEST_CASE("RFC 9113 §8.1 1xx informational responses precede the final response") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/");
  CHECK(exchange(c, e));
  e.inform(id, 103, {{"link", "</style.css>; rel=preload"}});
  e.inform(id, 101, {});  // RFC 9113 §8.6: no 101 in HTTP/2
  CHECK(exchange(c, e));
  e.reply(id, 200, {}, "ok");
  e.inform(id, 100, {});  // too late: ignored
  CHECK(exchange(c, e));
  auto& r = c.responses[id];
  REQUIRE(r.blocks.size() == 2);
  CHECK(r.blocks[0] == headers{{":status", "103"}, {"link", "</style.css>; rel=preload"}});
  CHECK(r.blocks[1] == headers{{":status", "200"}, {"content-length", "2"}});
  CHECK_FALSE(c.frames_of(NGHTTP2_HEADERS, id).at(0).end_stream());
  CHECK(r.body == "ok");
  CHECK(ev.done == std::vector<stream_id>{1});
}

TEST_CASE("RFC 9113 §8.7 client RST_STREAM CANCEL resets the stream") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/");
  CHECK(exchange(c, e));
  e.stream_reply(id, 200, {});
  CHECK(exchange(c, e));
  nghttp2_submit_rst_stream(c.session(), NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
  CHECK(exchange(c, e));
  CHECK(ev.log == std::vector<std::string>{"request 1", "reset 1 8"});
  CHECK(e.open_streams() == 0);
  // The stopped actor's last commands are ignored.
  e.stream_body(id, "late", true);
  CHECK(exchange(c, e));
  CHECK(c.frames_of(NGHTTP2_DATA, id).empty());
  CHECK(ev.done.empty());
}

TEST_CASE("RFC 9113 §8.1 a client RST_STREAM NO_ERROR before the response is a reset") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/");
  CHECK(exchange(c, e));
  nghttp2_submit_rst_stream(c.session(), NGHTTP2_FLAG_NONE, id, NGHTTP2_NO_ERROR);
  CHECK(exchange(c, e));
  CHECK(ev.log == std::vector<std::string>{"request 1", "reset 1 0"});
}

TEST_CASE("RFC 9113 §6.4 reset_stream sends RST_STREAM INTERNAL_ERROR") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/");
  CHECK(exchange(c, e));
  e.stream_reply(id, 200, {});
  e.stream_body(id, "partial", false);
  CHECK(exchange(c, e));
  e.reset_stream(id);
  CHECK(exchange(c, e));
  auto rst = c.frames_of(NGHTTP2_RST_STREAM, id);
  REQUIRE(rst.size() == 1);
  CHECK(rst[0].error_code == NGHTTP2_INTERNAL_ERROR);
  CHECK(c.responses[id].close_code == NGHTTP2_INTERNAL_ERROR);
  // One end event per stream: the reset the connection asked for.
  CHECK(ev.log == std::vector<std::string>{"request 1", "reset 1 2"});
  CHECK(c.frames_of(NGHTTP2_GOAWAY).empty());
}

TEST_CASE("RFC 9113 §8.1 a complete response ends a request still arriving") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  upload body{"never sent"};
  body.hold = true;
  auto id = c.request({{":method", "POST"},
                       {":scheme", "https"},
                       {":authority", "example.com"},
                       {":path", "/early"}},
                      &body);
  CHECK(exchange(c, e));
  e.reply(id, 200, {}, "early answer");
  CHECK(exchange(c, e));
  auto& r = c.responses[id];
  CHECK(r.body == "early answer");
  auto rst = c.frames_of(NGHTTP2_RST_STREAM, id);
  REQUIRE(rst.size() == 1);
  CHECK(rst[0].error_code == NGHTTP2_NO_ERROR);
  CHECK(ev.log == std::vector<std::string>{"request 1", "done 1"});
}

TEST_CASE("queued_bytes counts the body the data provider has not read") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/");
  CHECK(exchange(c, e));
  CHECK(e.queued_bytes(id) == 0);
  e.stream_reply(id, 200, {});
  e.stream_body(id, std::string(70000, 'z'), false);
  CHECK(e.queued_bytes(id) == 70000);
  std::string out;
  e.take_output(out);
  // The client's stream window (65535) lets that much out.
  CHECK(e.queued_bytes(id) == 70000 - 65535);
  CHECK(e.queued_bytes(99) == 0);
}

namespace {

// What the client saw on stream `id`: every frame's type and flags, the header blocks, the
// body and how the stream closed.
std::string seen(const client& c, std::int32_t id) {
  std::string out;
  for (const auto& f : c.frames)
    if (f.stream == id)
      out += "frame " + std::to_string(f.type) + "/" + std::to_string(f.flags) + "; ";
  auto r = c.responses.find(id);
  if (r == c.responses.end()) return out;
  for (const auto& block : r->second.blocks) {
    out += "block";
    for (const auto& [n, v] : block) out += " " + n + "=" + v;
    out += "; ";
  }
  out += "body " + r->second.body + "; closed " + std::to_string(r->second.closed) + " " +
         std::to_string(r->second.close_code);
  return out;
}

}  // namespace

TEST_CASE("RFC 9113 §8.1 a command out of the response's order is dropped") {
  // Each row: legal calls, a call the response state refuses, then the legal end, all before
  // the engine writes (so the stream is still open when the refused call comes). The client
  // must see what the legal calls alone send.
  using engine = http2::engine;
  struct row {
    std::string name;
    std::function<void(engine&, stream_id)> before, misuse, after;
  };
  auto streamed = [](engine& e, stream_id id) { e.stream_reply(id, 200, {}); };
  auto piece = [](engine& e, stream_id id) {
    e.stream_reply(id, 200, {});
    e.stream_body(id, "a", false);
  };
  auto nothing = [](engine&, stream_id) {};
  auto trailed = [](engine& e, stream_id id) {
    e.stream_reply(id, 200, {});
    e.stream_body(id, "a", false);
    e.stream_trailers(id, {{"x-sum", "1"}});
  };
  auto ended = [](engine& e, stream_id id) {
    e.stream_reply(id, 200, {});
    e.stream_body(id, "a", true);
  };
  auto fin = [](engine& e, stream_id id) { e.stream_body(id, "z", true); };
  auto ok = [](engine& e, stream_id id) { e.reply(id, 200, {}, "ok"); };
  const std::vector<row> table = {
      {"inform after stream_reply", streamed,
       [](engine& e, stream_id id) { e.inform(id, 103, {}); }, fin},
      {"inform mid-body", piece, [](engine& e, stream_id id) { e.inform(id, 103, {}); }, fin},
      {"reply after stream_reply", streamed,
       [](engine& e, stream_id id) { e.reply(id, 500, {}, "x"); }, fin},
      {"stream_reply twice", streamed, [](engine& e, stream_id id) { e.stream_reply(id, 404, {}); },
       fin},
      {"stream_body before stream_reply", nothing,
       [](engine& e, stream_id id) { e.stream_body(id, "x", false); }, ok},
      {"stream_body fin before stream_reply", nothing,
       [](engine& e, stream_id id) { e.stream_body(id, "x", true); }, ok},
      {"stream_trailers before stream_reply", nothing,
       [](engine& e, stream_id id) {
         e.stream_trailers(id, {{"x", "1"}});
       },
       ok},
      {"stream_body after stream_trailers", trailed,
       [](engine& e, stream_id id) { e.stream_body(id, "late", true); }, nothing},
      {"stream_trailers after the body's fin", ended,
       [](engine& e, stream_id id) {
         e.stream_trailers(id, {{"x-sum", "2"}});
       },
       nothing},
      {"stream_body after reply", ok,
       [](engine& e, stream_id id) { e.stream_body(id, "late", true); }, nothing},
      {"inform after reply", ok, [](engine& e, stream_id id) { e.inform(id, 103, {}); }, nothing},
  };
  for (const auto& t : table) {
    CAPTURE(t.name);
    recorder ev_legal, ev_mixed;
    engine legal{ev_legal, protocol_limits{}, true}, mixed{ev_mixed, protocol_limits{}, true};
    client c_legal, c_mixed;
    auto id = c_legal.get("/");
    REQUIRE(c_mixed.get("/") == id);
    CHECK(exchange(c_legal, legal));
    CHECK(exchange(c_mixed, mixed));
    t.before(legal, id);
    t.before(mixed, id);
    t.misuse(mixed, id);
    t.after(legal, id);
    t.after(mixed, id);
    CHECK(exchange(c_legal, legal));
    CHECK(exchange(c_mixed, mixed));
    CHECK(seen(c_mixed, id) == seen(c_legal, id));
    CHECK(ev_mixed.log == ev_legal.log);
    CHECK(ev_mixed.log.back() == "done 1");
  }
}

TEST_CASE("RFC 9113 §8.1 reset_stream after a complete reply still delivers it whole") {
  // The handler replied, then threw: the reply is queued (here, beyond the flow-control
  // window) when the reset comes. A complete response is never cut.
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/");
  CHECK(exchange(c, e));
  const std::string body(100000, 'r');
  e.reply(id, 200, {}, body);
  e.reset_stream(id);
  CHECK(exchange(c, e));
  CHECK(c.responses[id].body.size() == body.size());
  CHECK((c.responses[id].body == body));
  CHECK(c.frames_of(NGHTTP2_RST_STREAM, id).empty());
  CHECK(c.responses[id].close_code == NGHTTP2_NO_ERROR);
  CHECK(ev.log == std::vector<std::string>{"request 1", "done 1"});
}

TEST_CASE(
    "RFC 9110 §6.6.1 the connection's engine sends date (and server and alt-svc when set), "
    "unless the handler gave its own") {
  recorder ev;
  http2::options opts;
  opts.send_date = true;
  opts.server = "rodeo";
  opts.alt_svc = "h3=\":443\"";
  http2::engine e{ev, protocol_limits{}, true, opts};
  client c;
  auto a = c.get("/a");
  auto b = c.get("/b");
  CHECK(exchange(c, e));
  e.reply(a, 200, {}, "a");
  e.reply(b, 200,
          {{"date", "Sun, 06 Nov 1994 08:49:37 GMT"}, {"server", "mine"}, {"alt-svc", "clear"}},
          "b");
  CHECK(exchange(c, e));
  const auto& first = c.responses[a].blocks.at(0);
  auto date = find_header(first, "date");
  REQUIRE(date.has_value());
  CHECK(date->size() == 29);  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  CHECK(date->ends_with(" GMT"));
  CHECK(find_header(first, "server") == "rodeo");
  CHECK(find_header(first, "alt-svc") == "h3=\":443\"");
  const auto& second = c.responses[b].blocks.at(0);
  CHECK(second == headers{{":status", "200"},
                          {"date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                          {"server", "mine"},
                          {"alt-svc", "clear"},
                          {"content-length", "1"}});
}

// A cached file sent with body_bytes::share: the DATA frames carry the buffer's own bytes
// (NGHTTP2_DATA_FLAG_NO_COPY, then a gathered output piece), never a copy of them.
TEST_CASE("RFC 9113 §6.1 DATA frames of a shared body point into the shared buffer") {
  recorder ev;
  http2::engine e{ev, protocol_limits{}, true};
  client c;
  auto id = c.get("/app.js");
  CHECK(exchange(c, e));
  std::string text;
  for (int i = 0; i < 60 * 1024; ++i) text += static_cast<char>('a' + i % 26);
  auto buf = std::make_shared<const std::string>(std::move(text));
  e.reply(id, 200, {{"content-type", "text/javascript"}}, body_bytes::share(buf));
  CHECK(buf.use_count() == 2);  // the stream holds the buffer itself

  gathered_output out;
  e.take_output(out);
  std::size_t by_reference = 0;
  for (std::size_t i = 0; i < out.pieces(); ++i) {
    if (!out.piece_shared(i)) continue;
    auto p = out.piece(i);
    CHECK(p.data() >= buf->data());
    CHECK(p.data() + p.size() <= buf->data() + buf->size());
    by_reference += p.size();
  }
  CHECK(by_reference == buf->size());  // every body byte (4 DATA frames of 16 KiB or less)

  std::string down;
  out.copy_to(down);
  out.clear();
  CHECK(buf.use_count() == 1);  // written: nothing holds it any more
  c.recv(down);
  CHECK(c.responses[id].body == *buf);
  CHECK(c.frames_of(NGHTTP2_DATA, id).size() == 4);
}
