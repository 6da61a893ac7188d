// The HTTP/3 engine driven in memory by an nghttp3 client (h3_client.hpp): requests in,
// responses out, stream errors, GOAWAY, and the push seams.
#include <doctest/doctest.h>

#include <array>

#include "h3_client.hpp"
#include "rodeo/internal/protocol/http3/push/frame_writer.hpp"

using h3test::pair;
using rodeo::http3::engine;

TEST_CASE("http3: a GET becomes on_request with version HTTP/3; the reply reaches the client") {
  pair p;
  auto q = p.request(pair::get("/hello?x=1"));
  p.pump();
  REQUIRE(p.ev.requests.count(1) == 1);  // QUIC stream 0 is request 1
  const auto& head = p.ev.requests[1];
  CHECK(head.method == "GET");
  CHECK(head.scheme == "https");
  CHECK(head.authority == "example.com");
  CHECK(head.path == "/hello");
  CHECK(head.qs == "x=1");
  CHECK(head.version == "HTTP/3");
  CHECK_FALSE(head.has_body);
  CHECK(p.server.open_streams() == 1);

  p.server.reply(1, 200, {{"content-type", "text/plain"}, {"Connection", "close"}}, "Hello!");
  p.pump();
  auto& r = p.responses[q];
  CHECK(r.statuses() == std::vector<std::string>{"200"});
  CHECK(r.field("content-length") == "6");
  CHECK(r.field("content-type") == "text/plain");
  CHECK(r.field("connection").empty());  // connection-specific: never in HTTP/3 (§4.2)
  CHECK(r.body == "Hello!");
  CHECK(r.ended);
  CHECK(p.ev.done.count(1) == 1);
  CHECK(p.server.open_streams() == 0);
  CHECK(p.client_error == 0);
}

TEST_CASE("http3: cookie crumbs are joined (RFC 9114 §4.2.1); host stands in for :authority") {
  pair p;
  p.request({{":method", "GET"},
             {":scheme", "https"},
             {":path", "/"},
             {"host", "example.org"},
             {"cookie", "a=1"},
             {"accept", "*/*"},
             {"cookie", "b=2"}});
  p.pump();
  REQUIRE(p.ev.requests.count(1) == 1);
  const auto& head = p.ev.requests[1];
  CHECK(head.authority == "example.org");
  CHECK(head.fields ==
        rodeo::headers{{"host", "example.org"}, {"cookie", "a=1; b=2"}, {"accept", "*/*"}});
}

// RFC 9110 §10.1.1: the expectation is case-insensitive, as on HTTP/2.
TEST_CASE("http3: expect: 100-Continue gets an immediate 100 before the request actor answers") {
  pair p;
  auto f = pair::get("/up");
  f[0].second = "POST";
  f.emplace_back("expect", "100-CONTINUE");
  auto q = p.request(f, std::string("abc"));
  p.pump();
  REQUIRE(p.ev.requests.count(1) == 1);
  CHECK(p.responses[q].statuses() == std::vector<std::string>{"100"});
}

TEST_CASE("http3: request bodies arrive with fin, and their credit is returned") {
  pair p;
  auto fields = pair::get("/echo");
  fields[0].second = "POST";
  auto q = p.request(fields, std::string(100'000, 'b'));
  p.pump();
  REQUIRE(p.ev.requests.count(1) == 1);
  CHECK(p.ev.requests[1].has_body);
  CHECK(p.ev.bodies[1] == std::string(100'000, 'b'));
  CHECK(p.ev.body_ended.count(1) == 1);
  // Every byte of the stream (frames and payload) went back as flow-control credit.
  CHECK(p.quic.credit[q] >= 100'000);
}

TEST_CASE("http3: streamed response with trailers, and 103 before it") {
  pair p;
  auto q = p.request(pair::get("/stream"));
  p.pump();
  p.server.inform(1, 103, {{"link", "</app.js>; rel=preload"}});
  p.server.stream_reply(1, 200, {{"content-type", "text/plain"}});
  p.pump();
  p.server.stream_body(1, "one ", false);
  p.pump();
  CHECK(p.server.queued_bytes(1) == 0);
  p.server.stream_body(1, "two", false);
  CHECK(p.server.queued_bytes(1) == 3);
  p.server.stream_trailers(1, {{"x-checksum", "42"}});
  p.pump();
  auto& r = p.responses[q];
  CHECK(r.statuses() == std::vector<std::string>{"103", "200"});
  CHECK(r.field("link") == "</app.js>; rel=preload");
  CHECK(r.body == "one two");
  REQUIRE(r.trailers.size() == 1);
  CHECK(r.trailers[0] == std::pair<std::string, std::string>{"x-checksum", "42"});
  CHECK(r.ended);
  CHECK(p.ev.done.count(1) == 1);
}

TEST_CASE("http3: HEAD and 204 responses carry no content") {
  pair p;
  auto fields = pair::get("/h");
  fields[0].second = "HEAD";
  auto q = p.request(fields);
  p.pump();
  p.server.reply(1, 200, {}, "ignored");
  p.pump();
  CHECK(p.responses[q].body.empty());
  CHECK(p.responses[q].field("content-length") == "7");
  CHECK(p.responses[q].ended);
}

// RFC 9114 §4.1.2 and §4.3: malformed requests are stream errors of type H3_MESSAGE_ERROR;
// the connection and its other streams go on.
TEST_CASE("http3: malformed requests are reset with H3_MESSAGE_ERROR, others go on") {
  struct bad_case {
    const char* what;
    std::vector<std::pair<std::string, std::string>> fields;
  };
  auto base = pair::get("/x");
  auto with = [&](std::pair<std::string, std::string> extra) {
    auto f = base;
    f.push_back(std::move(extra));
    return f;
  };
  auto without = [&](const std::string& name) {
    auto f = base;
    std::erase_if(f, [&](const auto& kv) { return kv.first == name; });
    return f;
  };
  const bad_case cases[] = {
      {"connection", with({"connection", "keep-alive"})},
      {"transfer-encoding", with({"transfer-encoding", "chunked"})},
      {"te other than trailers", with({"te", "gzip"})},
      {"upgrade", with({"upgrade", "websocket"})},
      {"no :path", without(":path")},
      {"no :method", without(":method")},
      {"unknown pseudo-header", with({":foo", "bar"})},
  };
  for (const auto& c : cases) {
    INFO(std::string{c.what});
    pair p;
    auto bad = p.request(c.fields);
    auto good = p.request(pair::get("/fine"));
    p.pump();
    CHECK(p.ev.requests.count(engine::rodeo_id(bad)) == 0);
    CHECK(p.quic.reset[bad] == rodeo::http3::h3_message_error);
    CHECK(p.quic.stopped[bad] == rodeo::http3::h3_message_error);
    CHECK(p.ev.requests.count(engine::rodeo_id(good)) == 1);
    CHECK(p.server.error_code() == 0);  // not a connection error
  }
}

// nghttp3's client lowercases names, so this request is encoded by hand: a QPACK field
// section with static references only (RFC 9204 §4.5) and one literal name in uppercase.
TEST_CASE("http3: an uppercase field name is malformed (RFC 9114 §4.2)") {
  pair p;
  p.pump();  // the client's control and QPACK streams first
  std::string section{
      "\x00\x00"   // required insert count 0, base 0
      "\xd1"       // :method GET (static 17)
      "\xd7"       // :scheme https (static 23)
      "\xc1"       // :path / (static 1)
      "\x50\x01h"  // :authority h (name: static 0)
      "\x27\x00X-Upper\x01"
      "1",  // literal name "X-Upper", value "1"
      19};
  std::string frame = std::string{"\x01"} + static_cast<char>(section.size()) + section;
  CHECK(p.server.read_stream(0, frame, true));
  CHECK(p.ev.requests.empty());
  CHECK(p.quic.reset[0] == rodeo::http3::h3_message_error);
  // The same request with the name in lowercase is fine.
  section[10] = 'x';
  section[12] = 'u';
  frame = std::string{"\x01"} + static_cast<char>(section.size()) + section;
  CHECK(p.server.read_stream(4, frame, true));
  CHECK(p.ev.requests.count(3) == 1);
  CHECK(p.server.error_code() == 0);
}

// The keyword is case-insensitive (RFC 9110 §10.1.4), as nghttp2 and nghttp3 compare it.
TEST_CASE("http3: te: trailers is allowed, in any case") {
  pair p;
  auto f = pair::get("/x");
  f.emplace_back("te", "trailers");
  p.request(f);
  f.back().second = "Trailers";
  p.request(f);
  p.pump();
  CHECK(p.ev.requests.count(1) == 1);
  CHECK(p.ev.requests.count(3) == 1);
}

// nghttp3 advertises SETTINGS_MAX_FIELD_SECTION_SIZE without enforcing it: the engine does.
TEST_CASE("http3: a header block above max_header_block is H3_MESSAGE_ERROR") {
  rodeo::protocol_limits limits;
  limits.max_header_block = 400;
  pair p{limits};
  auto big = pair::get("/big");
  big.emplace_back("x-big", std::string(300, 'b'));
  auto bad = p.request(big);
  auto good = p.request(pair::get("/fine"));
  p.pump();
  CHECK(p.ev.requests.count(engine::rodeo_id(bad)) == 0);
  CHECK(p.quic.reset[bad] == rodeo::http3::h3_message_error);
  CHECK(p.quic.stopped[bad] == rodeo::http3::h3_message_error);
  CHECK(p.ev.requests.count(engine::rodeo_id(good)) == 1);
  CHECK(p.server.error_code() == 0);
}

TEST_CASE("http3: a declared content-length above max_body is answered 413, never reported") {
  rodeo::protocol_limits limits;
  limits.max_body = 10;
  pair p{limits};
  auto f = pair::get("/up");
  f[0].second = "POST";
  f.emplace_back("content-length", "11");
  auto q = p.request(f, std::string(11, 'x'));
  p.pump();
  CHECK(p.ev.requests.empty());
  CHECK(p.responses[q].statuses() == std::vector<std::string>{"413"});
}

TEST_CASE("http3: a body above max_body resets the stream and tells the connection") {
  rodeo::protocol_limits limits;
  limits.max_body = 1000;
  pair p{limits};
  auto f = pair::get("/up");
  f[0].second = "POST";
  auto q = p.request(f, std::string(5000, 'x'));
  p.pump();
  CHECK(p.ev.resets.count(1) == 1);
  CHECK(p.responses[q].statuses() == std::vector<std::string>{"413"});
}

TEST_CASE("http3: reset_stream after the response started is RESET_STREAM(H3_INTERNAL_ERROR)") {
  pair p;
  auto q = p.request(pair::get("/crash"));
  p.pump();
  p.server.stream_reply(1, 200, {});
  p.server.stream_body(1, "partial", false);
  p.pump();
  p.server.reset_stream(1);
  CHECK(p.quic.reset[q] == rodeo::http3::h3_internal_error);
  p.server.stream_closed(q, rodeo::http3::h3_internal_error);
  CHECK(p.ev.resets.count(1) == 1);
  CHECK(p.ev.done.count(1) == 0);
}

TEST_CASE("http3: shutdown sends GOAWAY; later requests are rejected, running ones finish") {
  pair p;
  auto first = p.request(pair::get("/a"));
  p.pump();
  p.server.shutdown();
  // Sent before the client reads the GOAWAY (after it, nghttp3 would not send it at all).
  auto late = p.request(pair::get("/b"));
  p.pump();
  REQUIRE(p.goaway.has_value());
  CHECK(*p.goaway == first + 4);  // the first request stream not processed (RFC 9114 §5.2)
  CHECK(p.ev.push->skip == rodeo::push_skip::connection_closing);
  CHECK(p.ev.requests.count(engine::rodeo_id(late)) == 0);
  CHECK(p.quic.reset[late] == rodeo::http3::h3_request_rejected);
  CHECK_FALSE(p.server.should_close());
  p.server.reply(1, 200, {}, "done");
  p.pump();
  CHECK(p.responses[first].body == "done");
  CHECK(p.server.should_close());
}

// RFC 9114 §6.2.1: closing the control stream is a connection error of type
// H3_CLOSED_CRITICAL_STREAM. The connection (quic/connection.cpp) closes with error_code().
TEST_CASE("http3: the client closing its control stream is H3_CLOSED_CRITICAL_STREAM") {
  pair p;
  p.request(pair::get("/a"));
  p.pump();
  REQUIRE(p.ev.requests.count(1) == 1);
  CHECK(p.server.error_code() == 0);
  CHECK_FALSE(p.server.read_stream(2, {}, true));  // the client's control stream: FIN
  CHECK(p.server.error_code() == NGHTTP3_H3_CLOSED_CRITICAL_STREAM);
  // Nothing more is read on a failed connection.
  CHECK_FALSE(p.server.read_stream(0, {}, true));
}

// A RESET_STREAM on the control stream reaches the engine as the stream closing (ngtcp2's
// stream_close callback), outside any read: the engine's next write must report the
// connection error, or the connection would go on without its peer's control stream.
TEST_CASE("http3: a reset control stream fails the connection at the engine's next write") {
  pair p;
  p.request(pair::get("/a"));
  p.pump();
  p.server.stream_closed(2, NGHTTP3_H3_NO_ERROR);
  CHECK(p.server.error_code() == NGHTTP3_H3_CLOSED_CRITICAL_STREAM);
  p.server.reply(1, 200, {}, "late");
  std::int64_t id = -1;
  bool fin = false;
  nghttp3_vec vec[4];
  CHECK(p.server.write_next(id, fin, vec, 4) < 0);
}

// The same for the QPACK streams (RFC 9204 §4.2): their state lives as long as the connection.
TEST_CASE("http3: the client closing its QPACK encoder stream is H3_CLOSED_CRITICAL_STREAM") {
  pair p;
  p.pump();
  CHECK_FALSE(p.server.read_stream(6, {}, true));  // client uni streams: 2 control, 6, 10 QPACK
  CHECK(p.server.error_code() == NGHTTP3_H3_CLOSED_CRITICAL_STREAM);
}

TEST_CASE("http3 push seam: prepended bytes go first on the request stream, offsets shifted") {
  pair p;
  auto q = p.request(pair::get("/page"));
  p.pump();
  // A reserved frame type (RFC 9114 §7.2.8), which the client must ignore, stands in for the
  // PUSH_PROMISE the push layer would write.
  const std::string grease{"\x21\x02hi", 4};
  CHECK(p.server.prepend(1, grease));
  p.server.reply(1, 200, {}, "page");
  CHECK_FALSE(p.server.prepend(1, grease));  // the response started: too late
  p.pump();
  CHECK(p.server_bytes[q].substr(0, 4) == grease);
  CHECK(p.responses[q].body == "page");
  CHECK(p.client_error == 0);
  CHECK(p.ev.done.count(1) == 1);
}

// A reset stream takes no more bytes (ngtcp2 answers NGTCP2_ERR_STREAM_SHUT_WR): its
// prepended bytes must not be offered again and again.
TEST_CASE("http3 push seam: prepended bytes of a reset stream are not written") {
  pair p;
  auto q = p.request(pair::get("/page"));
  p.pump();
  CHECK(p.server.prepend(1, std::string{"\x21\x02hi", 4}));
  p.server.cancel_stream(1);
  CHECK(p.quic.reset[q] == rodeo::http3::h3_request_cancelled);
  std::array<nghttp3_vec, 16> vec{};
  std::int64_t id = -1;
  bool fin = false;
  CHECK(p.server.write_next(id, fin, vec.data(), vec.size()) >= 0);
  CHECK(id != q);
}

// --- server push (RFC 9114 §4.6) through the push layer ---

namespace {

rodeo::request_head promised(const std::string& path, const std::string& method = "GET") {
  rodeo::request_head h;
  h.method = method;
  h.scheme = "https";
  h.authority = "example.com";
  h.path = path;
  h.fields = {{"accept", "*/*"}};
  return h;
}

}  // namespace

TEST_CASE("http3 push: without MAX_PUSH_ID nothing is promised") {
  pair p;
  CHECK(p.server.multiplexed());
  auto q = p.request(pair::get("/page"));
  p.pump();
  CHECK(p.server.can_push().skip == rodeo::push_skip::no_push_id);
  CHECK(p.server.push_promise(1, promised("/app.js")) == 0);
  CHECK(p.server.push_refusal().find("MAX_PUSH_ID") != std::string_view::npos);
  p.server.reply(1, 200, {}, "page");
  p.pump();
  CHECK(p.responses[q].body == "page");
  CHECK(p.pushes.empty());
  CHECK_FALSE(p.push_error);     // the client's filter found no promise either
  CHECK(p.quic.next_uni == 15);  // no stream beyond the control and QPACK streams
}

TEST_CASE("http3 push: MAX_PUSH_ID is learned and reported with the room it gives") {
  pair p;
  REQUIRE(p.max_push_id(2));
  REQUIRE(p.ev.push);
  CHECK(p.ev.push->skip == rodeo::push_skip::none);
  CHECK(p.ev.push->max_concurrent == 3);  // push IDs 0, 1, 2
  CHECK(p.server.can_push().skip == rodeo::push_skip::none);
  // The client's unidirectional stream limit counts too.
  p.quic.uni_left = 1;
  CHECK(p.server.can_push().max_concurrent == 1);
}

TEST_CASE(
    "http3 push: PUSH_PROMISE before the parent's HEADERS; the pushed response on its "
    "push stream, byte-identical") {
  pair p;
  REQUIRE(p.max_push_id(5));
  auto q = p.request(pair::get("/page"));
  p.pump();
  auto id = p.server.push_promise(1, promised("/app.js"));
  CHECK(id == 2);  // push ID 0: an even stream id, as HTTP/2's pushed streams
  CHECK(p.server.open_streams() == 2);
  std::string js(100 * 1024, 'j');
  for (std::size_t i = 0; i < js.size(); i += 97) js[i] = static_cast<char>('a' + i % 26);
  p.server.reply(1, 200, {{"content-type", "text/html"}}, "page");
  p.server.reply(id, 200, {{"content-type", "text/javascript"}, {"Connection", "close"}}, js);
  p.pump();
  // On the wire the parent stream starts with the PUSH_PROMISE frame (type 0x05).
  REQUIRE_FALSE(p.server_bytes[q].empty());
  CHECK(p.server_bytes[q][0] == '\x05');
  REQUIRE(p.pushes.count(0) == 1);
  const auto& push = p.pushes[0];
  CHECK(push.parent == q);
  CHECK(push.before_headers);
  CHECK(push.promised(":method") == "GET");
  CHECK(push.promised(":path") == "/app.js");
  CHECK(push.promised(":authority") == "example.com");
  CHECK(push.promised("accept") == "*/*");
  CHECK(push.field(":status") == "200");
  CHECK(push.field("content-type") == "text/javascript");
  CHECK(push.field("content-length") == std::to_string(js.size()));
  CHECK(push.field("connection").empty());
  CHECK(push.body == js);
  CHECK(push.ended);
  CHECK(p.responses[q].body == "page");
  CHECK(p.responses[q].ended);
  CHECK(p.client_error == 0);
  CHECK_FALSE(p.push_error);
  CHECK(p.ev.done.count(1) == 1);
  CHECK(p.ev.done.count(2) == 1);
  CHECK(p.server.open_streams() == 0);
}

TEST_CASE("http3 push: a streamed pushed response with trailers; HEAD has no body") {
  pair p;
  REQUIRE(p.max_push_id(5));
  auto q = p.request(pair::get("/page"));
  p.pump();
  auto a = p.server.push_promise(1, promised("/a"));
  auto h = p.server.push_promise(1, promised("/h", "HEAD"));
  REQUIRE(a == 2);
  REQUIRE(h == 4);
  p.server.reply(1, 200, {}, "page");
  p.server.stream_reply(a, 200, {});
  p.server.stream_body(a, "one ", false);
  CHECK(p.server.queued_bytes(a) > 0);  // back-pressure figure, until QUIC takes it
  p.pump();
  CHECK(p.server.queued_bytes(a) == 0);
  p.server.stream_body(a, "two", false);
  p.server.stream_trailers(a, {{"x-sum", "7"}});
  p.server.reply(h, 200, {{"content-length", "9"}}, "");
  p.pump();
  CHECK(p.pushes[0].body == "one two");
  CHECK(p.pushes[0].ended);
  CHECK(p.pushes[1].promised(":method") == "HEAD");
  CHECK(p.pushes[1].field("content-length") == "9");
  CHECK(p.pushes[1].body.empty());
  CHECK(p.pushes[1].ended);
  CHECK(p.responses[q].body == "page");
  CHECK_FALSE(p.push_error);
  CHECK(p.ev.done.count(a) == 1);
  CHECK(p.ev.done.count(h) == 1);
}

TEST_CASE("http3 push: push IDs never go above MAX_PUSH_ID") {
  pair p;
  REQUIRE(p.max_push_id(1));
  p.request(pair::get("/page"));
  p.pump();
  CHECK(p.server.push_promise(1, promised("/a")) == 2);
  CHECK(p.server.push_promise(1, promised("/b")) == 4);
  CHECK(p.server.push_promise(1, promised("/c")) == 0);  // push ID 2 > MAX_PUSH_ID 1
  CHECK(p.server.can_push().skip == rodeo::push_skip::push_ids_exhausted);
  REQUIRE(p.ev.push);
  CHECK(p.ev.push->skip == rodeo::push_skip::push_ids_exhausted);
  p.server.reply(1, 200, {}, "page");
  p.server.reply(2, 200, {}, "a");
  p.server.reply(4, 200, {}, "b");
  p.pump();
  CHECK(p.pushes.size() == 2);
  for (const auto& [push_id, push] : p.pushes) CHECK(push_id <= 1);
  CHECK_FALSE(p.push_error);  // the client's reader checks every push ID against its limit
}

TEST_CASE("http3 push: the client's unidirectional stream limit bounds the push streams") {
  pair p;
  REQUIRE(p.max_push_id(10));
  p.quic.uni_left = 1;
  p.request(pair::get("/page"));
  p.pump();
  CHECK(p.server.push_promise(1, promised("/a")) == 2);
  CHECK(p.server.push_promise(1, promised("/b")) == 0);
  CHECK(p.server.push_refusal().find("unidirectional") != std::string_view::npos);
}

TEST_CASE(
    "http3 push: CANCEL_PUSH ends the pushed stream; its credit returns; the connection "
    "goes on") {
  pair p;
  REQUIRE(p.max_push_id(3));
  auto q = p.request(pair::get("/page"));
  p.pump();
  auto id = p.server.push_promise(1, promised("/slow"));
  REQUIRE(id == 2);
  p.server.reply(1, 200, {}, "page");
  p.pump();
  REQUIRE(p.pushes.count(0) == 1);
  auto credit = p.quic.credit[2];
  // nghttp3 0.8 would fail the connection on this frame (H3_FRAME_UNEXPECTED).
  REQUIRE(p.cancel_push(0));
  CHECK(p.quic.credit[2] - credit == 3);  // 0x03 0x01 0x00, taken out before nghttp3
  CHECK(p.ev.resets.count(id) == 1);
  CHECK(p.ev.resets[id] == rodeo::http3::h3_request_cancelled);
  auto push_stream = p.pushes[0].stream;
  // The push stream had only its header out (the handler has not answered): it is reset.
  CHECK(p.quic.reset[push_stream] == rodeo::http3::h3_request_cancelled);
  p.server.reply(id, 200, {}, "too late");  // the pushed actor's reply, after the fact
  p.pump();
  CHECK(p.pushes[0].body.empty());
  CHECK(p.responses[q].body == "page");
  auto next = p.request(pair::get("/next"));
  p.pump();
  p.server.reply(3, 200, {}, "next");
  p.pump();
  CHECK(p.responses[next].body == "next");
  CHECK(p.client_error == 0);
  CHECK(p.server.open_streams() == 0);
}

TEST_CASE("http3 push: STOP_SENDING on a push stream ends the pushed stream") {
  pair p;
  REQUIRE(p.max_push_id(3));
  p.request(pair::get("/page"));
  p.pump();
  auto id = p.server.push_promise(1, promised("/x"));
  REQUIRE(id == 2);
  p.server.reply(1, 200, {}, "page");
  p.pump();
  auto push_stream = p.pushes[0].stream;
  REQUIRE(push_stream >= 0);
  p.server.peer_reset(push_stream);
  CHECK(p.ev.resets[id] == rodeo::http3::h3_request_cancelled);
  CHECK(p.quic.reset.count(push_stream) == 1);
}

TEST_CASE("http3 push: a lower MAX_PUSH_ID is H3_ID_ERROR (RFC 9114 §7.2.7)") {
  pair p;
  REQUIRE(p.max_push_id(5));
  CHECK_FALSE(p.server.read_stream(2, rodeo::http3::push::max_push_id_frame(3), false));
  CHECK(p.server.error_code() == rodeo::http3::h3_id_error);
}

TEST_CASE("http3 push: a CANCEL_PUSH above MAX_PUSH_ID is H3_ID_ERROR (RFC 9114 §7.2.3)") {
  pair p;
  REQUIRE(p.max_push_id(1));
  CHECK_FALSE(p.cancel_push(7));
  CHECK(p.server.error_code() == rodeo::http3::h3_id_error);
}

TEST_CASE("http3 push: no push from a pushed stream, none after the parent's response") {
  pair p;
  REQUIRE(p.max_push_id(5));
  p.request(pair::get("/page"));
  p.pump();
  auto id = p.server.push_promise(1, promised("/a"));
  REQUIRE(id == 2);
  CHECK(p.server.push_promise(id, promised("/nested")) == 0);  // nested: a no-op
  p.server.reply(1, 200, {}, "page");
  CHECK(p.server.push_promise(1, promised("/late")) == 0);
  CHECK(p.server.push_refusal().find("started") != std::string_view::npos);
}

TEST_CASE("http3 push: a push after a 103 goes after the 103's HEADERS frame") {
  pair p;
  REQUIRE(p.max_push_id(5));
  auto q = p.request(pair::get("/page"));
  p.pump();
  p.server.inform(1, 103, {{"link", "</a>; rel=preload"}});
  p.pump();  // nghttp3 wrote the 103: the promise goes at the next frame boundary
  auto id = p.server.push_promise(1, promised("/a"));
  REQUIRE(id == 2);
  p.server.reply(1, 200, {}, "page");
  p.server.reply(id, 200, {}, "a");
  p.pump();
  CHECK(p.responses[q].statuses() == std::vector<std::string>{"103", "200"});
  CHECK(p.responses[q].body == "page");
  CHECK(p.pushes[0].body == "a");
  CHECK_FALSE(p.pushes[0].before_headers);  // after the 103's fields
  CHECK(p.client_error == 0);
  CHECK_FALSE(p.push_error);
  CHECK(p.ev.done.count(1) == 1);
}

TEST_CASE("http3 push: an error response to a pushed request cancels the push") {
  pair p;
  REQUIRE(p.max_push_id(5));
  p.request(pair::get("/page"));
  p.pump();
  auto id = p.server.push_promise(1, promised("/missing"));
  REQUIRE(id == 2);
  p.server.reply(1, 200, {}, "page");
  p.server.reply(id, 404, {}, "Not Found");
  p.pump();
  auto push_stream = p.pushes[0].stream;
  CHECK(p.quic.reset[push_stream] == rodeo::http3::h3_request_cancelled);
  CHECK(p.pushes[0].fields.empty());
  CHECK(p.ev.resets[id] == rodeo::http3::h3_request_cancelled);  // once QUIC closed it
  CHECK(p.ev.done.count(1) == 1);
}

TEST_CASE("http3 push: after GOAWAY nothing more is pushed") {
  pair p;
  REQUIRE(p.max_push_id(5));
  p.request(pair::get("/page"));
  p.pump();
  p.server.shutdown();
  CHECK(p.server.can_push().skip == rodeo::push_skip::connection_closing);
  CHECK(p.server.push_promise(1, promised("/a")) == 0);
}

TEST_CASE("http3 push: a push stream held by flow control waits for credit") {
  pair p;
  REQUIRE(p.max_push_id(5));
  p.request(pair::get("/page"));
  p.pump();
  auto id = p.server.push_promise(1, promised("/a"));
  REQUIRE(id == 2);
  p.server.reply(1, 200, {}, "page");
  p.pump();
  auto push_stream = p.pushes[0].stream;
  REQUIRE(push_stream >= 0);
  p.server.block(push_stream);  // NGTCP2_ERR_STREAM_DATA_BLOCKED
  p.server.reply(id, 200, {}, "asset");
  p.pump();
  CHECK(p.pushes[0].body.empty());
  CHECK(p.server.queued_bytes(id) > 0);
  p.server.unblock(push_stream);  // the client's MAX_STREAM_DATA
  p.pump();
  CHECK(p.pushes[0].body == "asset");
  CHECK(p.pushes[0].ended);
  CHECK(p.ev.done.count(id) == 1);
}

// The send timeout's question (the QUIC connection asks it on each tick): is a stream's
// output held back only by the peer's flow control?
TEST_CASE("http3 send timeout: a stream is flow-blocked while QUIC says STREAM_DATA_BLOCKED") {
  pair p;
  auto q = p.request(pair::get("/big"));
  p.pump();
  CHECK_FALSE(p.server.flow_blocked(1));  // no response yet: the handler's time, not the peer's
  p.server.reply(1, 200, {}, std::string(1000, 'x'));
  p.server.block(q);  // NGTCP2_ERR_STREAM_DATA_BLOCKED
  p.pump();
  CHECK(p.server.flow_blocked(1));
  CHECK(p.responses[q].body.empty());
  p.server.unblock(q);  // the client's MAX_STREAM_DATA
  CHECK_FALSE(p.server.flow_blocked(1));
  p.pump();
  CHECK(p.responses[q].body.size() == 1000);
  CHECK_FALSE(p.server.flow_blocked(1));
}

TEST_CASE("http3 send timeout: a closed connection window blocks streams with output") {
  pair p;
  auto q1 = p.request(pair::get("/a"));
  p.request(pair::get("/b"));
  p.pump();
  p.quic.window_closed = true;  // MAX_DATA used up: the connection writes nothing
  CHECK(p.server.connection_window_closed());
  p.server.reply(1, 200, {}, "body of a");
  CHECK(p.server.flow_blocked(1));        // its body waits
  CHECK_FALSE(p.server.flow_blocked(3));  // nothing to send: waiting for its handler
  p.quic.window_closed = false;
  p.pump();
  CHECK(p.responses[q1].body == "body of a");
  CHECK_FALSE(p.server.flow_blocked(1));
}

TEST_CASE("http3 send timeout: a cancelled stream is no longer flow-blocked") {
  pair p;
  auto q = p.request(pair::get("/big"));
  p.pump();
  p.server.reply(1, 200, {}, std::string(1000, 'x'));
  p.server.block(q);
  REQUIRE(p.server.flow_blocked(1));
  p.server.cancel_stream(1);  // what the send timeout does: the complete response is cut
  CHECK(p.quic.reset[q] == rodeo::http3::h3_request_cancelled);
  CHECK_FALSE(p.server.flow_blocked(1));
}

TEST_CASE("http3 send timeout: a push stream held by flow control is flow-blocked") {
  pair p;
  REQUIRE(p.max_push_id(5));
  p.request(pair::get("/page"));
  p.pump();
  auto id = p.server.push_promise(1, promised("/a"));
  REQUIRE(id == 2);
  p.server.reply(1, 200, {}, "page");
  p.pump();
  auto push_stream = p.pushes[0].stream;
  REQUIRE(push_stream >= 0);
  p.server.block(push_stream);
  p.server.reply(id, 200, {}, "asset");
  p.pump();
  CHECK(p.server.flow_blocked(id));
  p.server.unblock(push_stream);
  p.pump();
  CHECK_FALSE(p.server.flow_blocked(id));
  CHECK(p.pushes[0].body == "asset");
}
