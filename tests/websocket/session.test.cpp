// The WebSocket framing of one connection (rodeo::ws::session), driven byte for byte: a table
// of RFC 6455 cases in the spirit of the Autobahn testsuite, then the close handshake and
// permessage-deflate (RFC 7692).
#include "rodeo/internal/websocket/session.hpp"

#include <doctest/doctest.h>

#include "rodeo/internal/websocket/deflate.hpp"
#include "websocket/client_frames.hpp"

using rodeo::test::client_frame;
using rodeo::test::close_payload;
using rodeo::test::server_frames;
using namespace rodeo::ws;

namespace {

constexpr std::uint8_t cont = 0x0, txt = 0x1, bin = 0x2, cls = 0x8, png = 0x9, pog = 0xa;

struct run_result {
  std::vector<frame> messages;
  std::vector<rodeo::test::server_frame> sent;
  bool over = false;
  bool failed = false;
  bool masked = false;  // a server frame was masked (it must never be, RFC 6455 §5.1)
};

// Feeds `input` whole, byte by byte, or (split > 0) in two pieces cut at `split`.
run_result run(const std::string& input, session::settings st = {}, bool bytewise = false,
               std::size_t split = 0) {
  session s{st};
  run_result r;
  if (bytewise) {
    for (char c : input) s.feed(std::string_view{&c, 1}, r.messages);
  } else if (split > 0) {
    s.feed(std::string_view{input}.substr(0, split), r.messages);
    s.feed(std::string_view{input}.substr(split), r.messages);
  } else {
    s.feed(input, r.messages);
  }
  std::string out;
  s.take_output(out);
  r.sent = server_frames(out, &r.masked);
  r.over = s.over();
  r.failed = s.failed();
  return r;
}

}  // namespace

TEST_CASE("RFC 6455 §5.6: a text message arrives whole, in one piece or byte by byte") {
  for (bool bytewise : {false, true}) {
    CAPTURE(bytewise);
    auto r =
        run(client_frame(txt, "Hello") + client_frame(bin, std::string{"\0\xff", 2}), {}, bytewise);
    REQUIRE(r.messages.size() == 2);
    CHECK(r.messages[0].type == opcode::text);
    CHECK(r.messages[0].payload == "Hello");
    CHECK(r.messages[1].type == opcode::binary);
    CHECK(r.messages[1].payload == std::string{"\0\xff", 2});
    CHECK(r.sent.empty());
    CHECK_FALSE(r.over);
  }
}

TEST_CASE("RFC 6455 §5.4: fragments are reassembled; control frames may come between them") {
  auto r = run(client_frame(txt, "Hel", false) + client_frame(png, "p") +
               client_frame(cont, "l", false) + client_frame(cont, "o"));
  REQUIRE(r.messages.size() == 2);
  CHECK(r.messages[0].type == opcode::ping);
  CHECK(r.messages[1].payload == "Hello");
  // §5.5.2: the ping is answered with a pong carrying its payload.
  REQUIRE(r.sent.size() == 1);
  CHECK(r.sent[0].opcode == pog);
  CHECK(r.sent[0].payload == "p");
  CHECK_FALSE(r.masked);
}

TEST_CASE("RFC 6455 §8.1: a UTF-8 sequence split between fragments is valid") {
  auto r = run(client_frame(txt, "\xce", false) + client_frame(cont, "\xba"));
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].payload == "\xce\xba");
}

TEST_CASE("RFC 6455 §7.4.1: what the client gets wrong closes with the right code") {
  session::settings small;
  small.max_frame_size = 16;
  small.max_message_size = 32;
  struct row {
    const char* name;
    std::string input;
    std::uint16_t code;
    session::settings st;
  };
  const std::string big17(17, 'a');
  const std::vector<row> rows = {
      {"§8.1 invalid UTF-8", client_frame(txt, "\xce\xba\xe1\xbd"), 1007, {}},
      {"§8.1 overlong UTF-8", client_frame(txt, "\xc0\xaf"), 1007, {}},
      {"§8.1 UTF-16 surrogate", client_frame(txt, "\xed\xa0\x80"), 1007, {}},
      {"§8.1 invalid UTF-8 across fragments",
       client_frame(txt, "ok", false) + client_frame(cont, "\xff"),
       1007,
       {}},
      {"§5.2 RSV1 without an extension", client_frame(txt, "x", true, 4), 1002, {}},
      {"§5.2 RSV2", client_frame(txt, "x", true, 2), 1002, {}},
      {"§5.2 RSV3", client_frame(bin, "x", true, 1), 1002, {}},
      {"§5.2 reserved data opcode 3", client_frame(0x3, "x"), 1002, {}},
      {"§5.2 reserved control opcode 0xb", client_frame(0xb, "x"), 1002, {}},
      {"§5.1 unmasked client frame", client_frame(txt, "x", true, 0, false), 1002, {}},
      {"§5.2 length with the top bit set (2^63)",
       client_frame(bin, "", true, 0, true, 1ull << 63),
       1002,
       {}},
      // §5.2: "the minimal number of bytes MUST be used to encode the length".
      {"§5.2 a 16-bit length for 5 bytes",
       std::string{"\x82\xfe\x00\x05\0\0\0\0", 8} + "hello",
       1002,
       {}},
      {"§5.2 a 64-bit length for 200 bytes",
       std::string{"\x82\xff\0\0\0\0\0\0\x00\xc8\0\0\0\0", 14} + std::string(200, 'b'),
       1002,
       {}},
      {"§5.5 control frame above 125 bytes", client_frame(png, std::string(126, 'p')), 1002, {}},
      {"§5.5 fragmented control frame", client_frame(png, "p", false), 1002, {}},
      {"§5.4 continuation without a start", client_frame(cont, "x"), 1002, {}},
      {"§5.4 a new message inside a fragmented one",
       client_frame(txt, "a", false) + client_frame(txt, "b"),
       1002,
       {}},
      {"frame above max_frame_size", client_frame(bin, big17), 1009, small},
      {"huge declared length above max_frame_size",
       client_frame(bin, "", true, 0, true, 1ull << 40), 1009, small},
      {"message above max_message_size in small fragments",
       client_frame(txt, std::string(12, 'a'), false) +
           client_frame(cont, std::string(12, 'a'), false) +
           client_frame(cont, std::string(12, 'a')),
       1009, small},
  };
  for (const auto& row : rows)
    for (bool bytewise : {false, true}) {
      CAPTURE(std::string{row.name});
      CAPTURE(bytewise);
      auto r = run(row.input + client_frame(txt, "after"), row.st, bytewise);
      // Nothing is delivered after the error, and nothing broken before it.
      for (const auto& m : r.messages) CHECK(m.payload != "after");
      REQUIRE(r.sent.size() == 1);
      CHECK(r.sent[0].opcode == cls);
      CHECK(r.sent[0].code() == row.code);
      CHECK(r.failed);
      // §7.1.7: after failing the connection the server need not wait for an answer.
      CHECK(r.over);
    }
}

TEST_CASE("RFC 6455 §5.5.1: the client's close is answered with its code; the stream is over") {
  auto r = run(client_frame(cls, close_payload(1000, "done")) + client_frame(txt, "late"));
  CHECK(r.messages.empty());
  REQUIRE(r.sent.size() == 1);
  CHECK(r.sent[0].opcode == cls);
  CHECK(r.sent[0].code() == 1000);
  CHECK(r.over);
  CHECK_FALSE(r.failed);
}

TEST_CASE("RFC 6455 §5.5.1, §8.1: a close's reason is judged whole, however its bytes arrive") {
  // wslay checks the UTF-8 of a close reason per piece of payload it reads, skipping two
  // bytes (the code) of every piece: split, a valid reason failed and a bad one passed.
  const std::string valid = client_frame(cls, close_payload(1000, "a\xc3\xa9"));
  const std::string bad = client_frame(cls, close_payload(1000, "ab\xff"));
  for (std::size_t cut : {std::size_t{0}, std::size_t{7}, std::size_t{8}, std::size_t{9}}) {
    CAPTURE(cut);
    for (bool good : {true, false}) {
      CAPTURE(good);
      const std::string& input = good ? valid : bad;
      auto r = run(input, {}, cut == 0, cut);  // cut 0: byte by byte
      REQUIRE(r.sent.size() == 1);
      CHECK(r.sent[0].code() == (good ? 1000 : 1007));
      CHECK(r.failed == !good);
    }
  }
}

TEST_CASE("RFC 6455 §8.1: a close after other frames is judged whole, wherever reads cut") {
  // wslay reads up to 4 KiB at a time: a binary message in front moves the close frame across
  // that boundary; every cut of the input in two must give the same verdict.
  for (std::size_t lead : {std::size_t{4080}, std::size_t{4085}, std::size_t{4090}}) {
    CAPTURE(lead);
    for (bool good : {true, false}) {
      CAPTURE(good);
      const std::string input =
          client_frame(bin, std::string(lead, 'b')) +
          client_frame(cls, close_payload(1001, good ? "\xc3\xa9t\xc3\xa9" : "\xc3t\xa9"));
      for (std::size_t cut = input.size() - 20; cut <= input.size(); ++cut) {
        CAPTURE(cut);
        auto r = run(input, {}, false, cut);
        REQUIRE(r.messages.size() == 1);
        CHECK(r.messages[0].payload.size() == lead);
        REQUIRE(r.sent.size() == 1);
        CHECK(r.sent[0].code() == (good ? 1001 : 1007));
      }
    }
  }
}

TEST_CASE(
    "RFC 6455 §5.1: an unmasked frame closes with 1002 while a close frame is still arriving") {
  // The start of a close frame is held back until its end arrives; what came before it is
  // read now, whole or in pieces.
  // Cut in its header (5 bytes), or after its header (8: the header is 6 bytes).
  for (std::size_t cut : {std::size_t{5}, std::size_t{8}}) {
    CAPTURE(cut);
    const std::string input = client_frame(txt, std::string(67, 'u'), false, 0, false) +
                              client_frame(cls, close_payload(1000, "bye")).substr(0, cut);
    for (bool bytewise : {false, true}) {
      CAPTURE(bytewise);
      auto r = run(input, {}, bytewise);
      CHECK(r.messages.empty());
      REQUIRE(r.sent.size() == 1);
      CHECK(r.sent[0].code() == 1002);
      CHECK(r.failed);
    }
  }
}

TEST_CASE("RFC 6455 §7.1.5: a close without a code is answered, and reads as 1005") {
  session s{{}};
  std::vector<frame> m;
  s.feed(client_frame(cls, ""), m);
  CHECK(s.close_received());
  CHECK(s.received_code() == close_code::no_status);
  CHECK(s.over());
}

TEST_CASE("RFC 6455 §7.1.2: the server's close waits for the client's answer") {
  session s{{}};
  std::vector<frame> m;
  s.close(4001, "bye");
  std::string out;
  s.take_output(out);
  auto sent = server_frames(out);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].code() == 4001);
  CHECK(sent[0].payload.substr(2) == "bye");
  CHECK(s.initiated());
  CHECK_FALSE(s.over());
  // Nothing is sent after the close.
  CHECK_FALSE(s.send(text("more")));
  // Data the client sent before it saw our close is still read (§5.5.1), then its close.
  s.feed(client_frame(txt, "in flight") + client_frame(cls, close_payload(4001)), m);
  REQUIRE(m.size() == 1);
  CHECK(m[0].payload == "in flight");
  CHECK(s.over());
  out.clear();
  s.take_output(out);
  CHECK(out.empty());  // no second close
}

TEST_CASE("RFC 7692 §7.2: permessage-deflate messages are inflated, and sent compressed") {
  deflate_params p;
  session::settings st;
  st.deflate = p;
  session s{st};
  deflate_codec client{p};  // the same raw deflate a client makes
  std::string message(5000, 'z');
  std::vector<frame> m;
  s.feed(client_frame(txt, client.compress(message), true, 4), m);
  REQUIRE(m.size() == 1);
  CHECK(m[0].payload == message);
  // A second message uses the context of the first (no context takeover not agreed).
  s.feed(client_frame(bin, client.compress("again"), true, 4), m);
  REQUIRE(m.size() == 2);
  CHECK(m[1].payload == "again");
  // Uncompressed messages stay allowed (RSV1 clear).
  s.feed(client_frame(txt, "plain"), m);
  REQUIRE(m.size() == 3);
  CHECK(m[2].payload == "plain");

  REQUIRE(s.send(text(message)));
  std::string out;
  s.take_output(out);
  auto sent = server_frames(out);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].rsv == 4);
  CHECK(sent[0].payload.size() < message.size() / 10);
  deflate_codec reader{p};
  std::string back;
  CHECK(reader.decompress(sent[0].payload, 1 << 20, back) == deflate_codec::inflate_error::none);
  CHECK(back == message);
}

TEST_CASE("RFC 7692 §7.2.3.6: an empty message between others keeps the peer's inflater in step") {
  session::settings st;
  st.deflate = deflate_params{};
  session s{st};
  for (const char* m : {"first", "", "third"}) REQUIRE(s.send(text(m)));
  std::string out;
  s.take_output(out);
  auto sent = server_frames(out);
  REQUIRE(sent.size() == 3);
  // A peer's inflater as RFC 7692 §7.2.2 describes it: payload, then 00 00 ff ff, one stream.
  z_stream z{};
  REQUIRE(inflateInit2(&z, -15) == Z_OK);
  std::vector<std::string> got;
  for (const auto& f : sent) {
    std::string in = f.payload + std::string{"\x00\x00\xff\xff", 4};
    char buf[256];
    z.next_in = reinterpret_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    inflate(&z, Z_SYNC_FLUSH);
    CHECK(z.avail_in == 0);
    got.emplace_back(buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  CHECK(got == std::vector<std::string>{"first", "", "third"});
  // And an empty compressed payload from a client reads as an empty message.
  std::vector<frame> m;
  s.feed(client_frame(txt, "", true, 4), m);
  REQUIRE(m.size() == 1);
  CHECK(m[0].payload.empty());
}

TEST_CASE("RFC 7692 §8: a message that inflates above max_message_size closes with 1009") {
  deflate_params p;
  session::settings st;
  st.deflate = p;
  st.max_message_size = 1000;
  deflate_codec client{p};
  const std::string bomb = client.compress(std::string(500 * 1000, '\0'));
  REQUIRE(bomb.size() < 1000);  // small on the wire
  auto r = run(client_frame(bin, bomb, true, 4), st);
  CHECK(r.messages.empty());
  REQUIRE(r.sent.size() == 1);
  CHECK(r.sent[0].code() == 1009);
}

TEST_CASE("RFC 6455 §8.1: a compressed text message that inflates to bad UTF-8 closes with 1007") {
  deflate_params p;
  session::settings st;
  st.deflate = p;
  for (const char* bad : {"\xc0\xaf", "ok\xed\xa0\x80"}) {
    CAPTURE(std::string{bad});
    deflate_codec client{p};
    auto r = run(client_frame(txt, client.compress(bad), true, 4) + client_frame(txt, "after"), st);
    CHECK(r.messages.empty());
    REQUIRE(r.sent.size() == 1);
    CHECK(r.sent[0].code() == 1007);
    CHECK(r.failed);
  }
}

TEST_CASE("RFC 7692 §6.1: RSV1 on a control frame is a protocol error") {
  session::settings st;
  st.deflate = deflate_params{};
  auto r = run(client_frame(png, "p", true, 4), st);
  REQUIRE(!r.sent.empty());
  CHECK(r.sent.back().code() == 1002);
}

TEST_CASE(
    "RFC 7692 §7.2.3.4: a message deflated with BFINAL set is inflated, and so are later ones") {
  // The RFC's example: "Hello" in a final fixed-Huffman block, then one 0x00 byte (the start of
  // the empty stored block whose other four bytes the receiver appends).
  const std::string hello_final{"\xf3\x48\xcd\xc9\xc9\x07\x00\x00", 8};
  session::settings st;
  st.deflate = deflate_params{};
  for (bool bytewise : {false, true}) {
    CAPTURE(bytewise);
    auto r = run(client_frame(txt, hello_final, true, 4) + client_frame(txt, hello_final, true, 4),
                 st, bytewise);
    REQUIRE(r.messages.size() == 2);
    CHECK(r.messages[0].payload == "Hello");
    CHECK(r.messages[1].payload == "Hello");
    CHECK(r.sent.empty());
  }
}

TEST_CASE("RFC 7692 §7.2.2: a final deflate block with bytes after it ends (found by fuzzing)") {
  // A final fixed-Huffman block ends the deflate stream inside the payload; the bytes after it
  // must not make the inflater spin. What it inflated is not UTF-8: 1007.
  session::settings st;
  st.deflate = deflate_params{};
  auto r = run(client_frame(txt, std::string{"\x2b\xfa\x21\x3d\x37\xfa\x21", 7}, true, 4), st);
  CHECK(r.messages.empty());
  REQUIRE(r.sent.size() == 1);
  CHECK(r.sent[0].code() == 1007);
  CHECK(r.failed);
}
