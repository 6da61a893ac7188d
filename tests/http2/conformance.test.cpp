// HTTP/2 conformance and hardening at the frame level (RFC 9113 §5.1.1, §5.1.2, §10.5.1):
// the client side is raw frames, so that it can do what a well-behaved client never does.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "h2_client.hpp"
#include "rodeo/internal/protocol/http2/engine.hpp"

using namespace rodeo;
using rodeo::test::frame;
using rodeo::test::parse_frames;
using rodeo::test::raw_frame;
using rodeo::test::recorder;

namespace {

constexpr std::uint8_t end_headers = NGHTTP2_FLAG_END_HEADERS;
constexpr std::uint8_t end_stream = NGHTTP2_FLAG_END_STREAM;

// :method GET, :scheme http, :path / (static table indexes 2, 6, 4), then :authority
// example.com as a literal without indexing (RFC 7541 §6.2.2), so that the dynamic table
// stays untouched.
const std::string authority = std::string("\x01\x0b") + "example.com";
const std::string get_root = "\x82\x86\x84" + authority;

// HPACK (RFC 7541 §5.1): an integer with an n-bit prefix, the prefix bits above it in `first`.
std::string hpack_int(std::uint8_t first, int prefix_bits, std::size_t value) {
  std::string out;
  const std::size_t max = (1u << prefix_bits) - 1;
  if (value < max) {
    out += static_cast<char>(first | value);
    return out;
  }
  out += static_cast<char>(first | max);
  value -= max;
  while (value >= 128) {
    out += static_cast<char>((value % 128) | 128);
    value /= 128;
  }
  out += static_cast<char>(value);
  return out;
}

// A literal field with incremental indexing and a new name (RFC 7541 §6.2.1): it becomes
// dynamic table entry 62.
std::string literal_indexed(std::string_view name, std::string_view value) {
  return "\x40" + hpack_int(0, 7, name.size()) + std::string{name} + hpack_int(0, 7, value.size()) +
         std::string{value};
}

// A literal field without indexing and a new name (RFC 7541 §6.2.2).
std::string literal(std::string_view name, std::string_view value) {
  return std::string(1, '\0') + hpack_int(0, 7, name.size()) + std::string{name} +
         hpack_int(0, 7, value.size()) + std::string{value};
}

// The HPACK bomb: one large field added to the dynamic table, then referenced `refs` times
// (indexed field 62, RFC 7541 §6.1): a few bytes on the wire, refs * value.size() decoded.
std::string bomb_block(std::size_t value_size, int refs) {
  std::string block = get_root + literal_indexed("x-bomb", std::string(value_size, 'b'));
  for (int i = 0; i < refs; ++i) block += '\xbe';
  return block;
}

std::uint32_t u32(std::string_view p, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(p[at + i]);
  return v;
}

// A raw client: preface and empty SETTINGS, then the ACK of the server's SETTINGS, so that
// the server's limits are in force (RFC 9113 §6.5.3).
struct raw_client {
  recorder ev;
  http2::engine e;
  std::vector<raw_frame> seen;
  bool ok = true;

  raw_client(protocol_limits limits, http2::options opts = {}) : e{ev, limits, false, opts} {
    send(std::string{NGHTTP2_CLIENT_MAGIC} + frame(NGHTTP2_SETTINGS, 0, 0, ""));
    send(frame(NGHTTP2_SETTINGS, NGHTTP2_FLAG_ACK, 0, ""));
  }

  void send(std::string_view bytes) {
    ok = e.feed(bytes) && ok;
    std::string out;
    e.take_output(out);
    for (auto& f : parse_frames(out)) seen.push_back(std::move(f));
  }

  std::vector<raw_frame> of(std::uint8_t type, std::int32_t stream = -1) const {
    std::vector<raw_frame> out;
    for (const auto& f : seen)
      if (f.type == type && (stream == -1 || f.stream == stream)) out.push_back(f);
    return out;
  }
};

}  // namespace

TEST_CASE("RFC 9113 §10.5.1: a header block past max_header_block stops being processed") {
  protocol_limits limits;
  limits.max_header_block = 4096;
  raw_client c{limits};
  // 2,000 references to a 1,000-byte value: ~2 MB decoded from a 3 KB block.
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 1, bomb_block(1000, 2000)));
  CHECK(c.ok);
  CHECK(c.ev.log.empty());
  // The stream is reset; no response (a 431 would need the rest of the block validated).
  CHECK(c.of(NGHTTP2_HEADERS, 1).empty());
  auto rst = c.of(NGHTTP2_RST_STREAM, 1);
  REQUIRE(rst.size() == 1);
  CHECK(u32(rst[0].payload, 0) == NGHTTP2_ENHANCE_YOUR_CALM);
  CHECK(c.of(NGHTTP2_GOAWAY).empty());

  // HPACK state stays in sync: the next request refers to the same table entry once.
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 3, get_root + "\xbe"));
  CHECK(c.ok);
  REQUIRE(c.ev.requests.size() == 1);
  CHECK(c.ev.requests[0].first == 3);
  CHECK(test::field(c.ev.requests[0].second.fields, "x-bomb") == std::string(1000, 'b'));
}

TEST_CASE("RFC 9113 §10.5: a connection that keeps sending oversized header blocks gets GOAWAY") {
  protocol_limits limits;
  limits.max_header_block = 4096;
  http2::options opts;
  opts.oversized_burst = 3;
  opts.oversized_rate = 0;  // no token comes back: the count is exact
  raw_client c{limits, opts};
  for (std::int32_t id = 1; id <= 5; id += 2)
    c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, id, bomb_block(1000, 200)));
  CHECK(c.ok);
  CHECK(c.of(NGHTTP2_RST_STREAM).size() == 3);
  CHECK(c.of(NGHTTP2_GOAWAY).empty());
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 7, get_root + std::string(200, '\xbe')));
  CHECK_FALSE(c.ok);
  auto goaway = c.of(NGHTTP2_GOAWAY);
  REQUIRE(goaway.size() == 1);
  CHECK(u32(goaway[0].payload, 4) == NGHTTP2_ENHANCE_YOUR_CALM);
  CHECK(c.e.should_close());
  CHECK(c.ev.log.empty());
}

namespace {

std::map<int, std::uint32_t> settings_values(const raw_frame& f) {
  std::map<int, std::uint32_t> values;
  const auto& p = f.payload;
  for (std::size_t i = 0; i + 6 <= p.size(); i += 6)
    values[(static_cast<std::uint8_t>(p[i]) << 8) | static_cast<std::uint8_t>(p[i + 1])] =
        u32(p, i + 2);
  return values;
}

}  // namespace

TEST_CASE("RFC 9113 §6.5.2: the server advertises its limits, MAX_HEADER_LIST_SIZE included") {
  protocol_limits limits;
  limits.max_header_block = 12345;
  limits.max_concurrent_streams = 7;
  raw_client c{limits};
  auto settings = c.of(NGHTTP2_SETTINGS, 0);
  REQUIRE_FALSE(settings.empty());
  auto values = settings_values(settings[0]);
  CHECK(values[NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE] == 12345);
  // The advertised limit, not the higher one nghttp2 was given (see engine.hpp).
  CHECK(values[NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS] == 7);

  SUBCASE("the same after an h2c upgrade") {
    recorder ev;
    request_head head;
    head.method = "GET";
    auto e = http2::engine::upgrade(ev, limits, "", head);
    REQUIRE(e);
    std::string out;
    e->take_output(out);
    auto frames = parse_frames(out);
    REQUIRE_FALSE(frames.empty());
    CHECK(frames[0].type == NGHTTP2_SETTINGS);
    CHECK(settings_values(frames[0])[NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS] == 7);
  }
}

TEST_CASE("RFC 9113 §5.1.2: a stream above MAX_CONCURRENT_STREAMS is refused, the rest live on") {
  protocol_limits limits;
  limits.max_concurrent_streams = 2;
  raw_client c{limits};
  REQUIRE(c.ok);
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 1, get_root));
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 3, get_root));
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 5, get_root));  // the third
  CHECK(c.ok);
  CHECK(c.of(NGHTTP2_GOAWAY).empty());
  auto rst = c.of(NGHTTP2_RST_STREAM, 5);
  REQUIRE(rst.size() == 1);
  CHECK(u32(rst[0].payload, 0) == NGHTTP2_REFUSED_STREAM);
  REQUIRE(c.ev.requests.size() == 2);
  CHECK(c.ev.requests[1].first == 3);

  // The streams within the limit are answered; then a new stream fits again.
  c.e.reply(1, 200, {}, "one");
  c.send("");
  CHECK(c.ev.done == std::vector<stream_id>{1});
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 7, get_root));
  CHECK(c.ok);
  REQUIRE(c.ev.requests.size() == 3);
  CHECK(c.ev.requests[2].first == 7);
  CHECK(c.of(NGHTTP2_RST_STREAM, 7).empty());
  c.e.reply(3, 200, {}, "three");
  c.send("");
  CHECK(c.ev.done == std::vector<stream_id>{1, 3});
  CHECK(c.of(NGHTTP2_GOAWAY).empty());
}

TEST_CASE("RFC 9113 §5.1.2: a flood of refused streams ends in GOAWAY") {
  protocol_limits limits;
  limits.max_concurrent_streams = 1;
  http2::options opts;
  opts.reset_burst = 5;
  opts.reset_rate = 0;
  raw_client c{limits, opts};
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 1, get_root));
  std::int32_t id = 3;
  for (; id < 200 && c.ok; id += 2)
    c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, id, get_root));
  CHECK_FALSE(c.ok);
  CHECK(c.of(NGHTTP2_RST_STREAM).size() == 5);
  auto goaway = c.of(NGHTTP2_GOAWAY);
  REQUIRE(goaway.size() == 1);
  CHECK(u32(goaway[0].payload, 4) == NGHTTP2_ENHANCE_YOUR_CALM);
  CHECK(c.ev.requests.size() == 1);
}

TEST_CASE("RFC 9113 §5.1.1: HEADERS on a lower stream id never opened is a connection error") {
  raw_client c{protocol_limits{}};
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 5, get_root));
  CHECK(c.ok);
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 3, get_root));
  CHECK_FALSE(c.ok);
  auto goaway = c.of(NGHTTP2_GOAWAY);
  REQUIRE(goaway.size() == 1);
  CHECK(u32(goaway[0].payload, 0) == 5);  // last stream id
  CHECK(u32(goaway[0].payload, 4) == NGHTTP2_PROTOCOL_ERROR);
  REQUIRE(c.ev.requests.size() == 1);
  CHECK(c.ev.requests[0].first == 5);
}

TEST_CASE("RFC 9113 §5.1.1: the check holds when the frame header arrives byte by byte") {
  raw_client c{protocol_limits{}};
  auto bytes = frame(NGHTTP2_HEADERS, end_headers | end_stream, 1, get_root) +
               frame(NGHTTP2_HEADERS, end_headers | end_stream, 7, get_root) +
               frame(NGHTTP2_HEADERS, end_headers | end_stream, 3, get_root);
  for (char b : bytes) c.send(std::string(1, b));
  CHECK_FALSE(c.ok);
  auto goaway = c.of(NGHTTP2_GOAWAY);
  REQUIRE(goaway.size() == 1);
  CHECK(u32(goaway[0].payload, 4) == NGHTTP2_PROTOCOL_ERROR);
  CHECK(c.ev.requests.size() == 2);
}

TEST_CASE("RFC 9113 §5.1.1: trailers on an open lower stream are no error") {
  raw_client c{protocol_limits{}};
  c.send(frame(NGHTTP2_HEADERS, end_headers, 1, "\x83\x86\x84" + authority));  // POST, body follows
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 3, get_root));
  c.send(frame(NGHTTP2_DATA, 0, 1, "abc"));
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 1, literal("x-trailer", "1")));
  CHECK(c.ok);
  CHECK(c.of(NGHTTP2_GOAWAY).empty());
  CHECK(c.of(NGHTTP2_RST_STREAM).empty());
  REQUIRE(c.ev.requests.size() == 2);
  REQUIRE(c.ev.bodies.size() == 2);
  CHECK(c.ev.bodies[0] == recorder::body_event{1, "abc", false});
  CHECK(c.ev.bodies[1] == recorder::body_event{1, "", true});  // the trailers end the body
}

TEST_CASE("RFC 9113 §5.1: HEADERS on a stream the client closed is not taken for a new one") {
  raw_client c{protocol_limits{}};
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 1, get_root));
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 3, get_root));
  c.e.reply(1, 200, {}, "");
  c.send("");
  REQUIRE(c.ev.done == std::vector<stream_id>{1});
  // Stream 1 was opened, then closed: not the §5.1.1 case but §5.1 (h2spec 5.1 "closed:
  // Sends a HEADERS frame"): a connection error of type STREAM_CLOSED, from nghttp2, which
  // keeps recently closed streams.
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 1, get_root));
  CHECK_FALSE(c.ok);
  auto goaway = c.of(NGHTTP2_GOAWAY);
  REQUIRE(goaway.size() == 1);
  CHECK(u32(goaway[0].payload, 4) == NGHTTP2_STREAM_CLOSED);
  CHECK(c.ev.requests.size() == 2);
}

TEST_CASE("RFC 9113 §5.1: HEADERS on a stream the client reset is STREAM_CLOSED") {
  // h2spec 5.1 "closed: Sends a HEADERS frame after sending RST_STREAM frame".
  raw_client c{protocol_limits{}};
  c.send(frame(NGHTTP2_HEADERS, end_headers, 1, "\x83\x86\x84" + authority));
  c.send(frame(NGHTTP2_RST_STREAM, 0, 1, std::string("\0\0\0\x08", 4)));
  c.send(frame(NGHTTP2_HEADERS, end_headers | end_stream, 1, get_root));
  std::uint32_t code = 0;
  for (const auto& f : c.seen)
    if ((f.type == NGHTTP2_GOAWAY && f.payload.size() >= 8) ||
        (f.type == NGHTTP2_RST_STREAM && f.stream == 1))
      code = u32(f.payload, f.type == NGHTTP2_GOAWAY ? 4 : 0);
  CHECK(code == NGHTTP2_STREAM_CLOSED);
  CHECK(c.ev.requests.size() == 1);
}
