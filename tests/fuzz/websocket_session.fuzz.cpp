// One WebSocket's framing (rodeo/internal/websocket/session) fed a client's bytes, with and
// without permessage-deflate (RFC 7692), as the request actor feeds it. Each input runs twice:
// whole, and in chunks whose sizes come from the input; both runs must agree on every message,
// every byte sent and the close. Checked on every input:
// - nothing from an unmasked client frame is accepted, and once a whole one was read the
//   session has closed (RFC 6455 §5.1);
// - no message follows the frame a close answered or failed on;
// - a close for bad input carries 1002, 1007 or 1009 (RFC 6455 §7.4.1), and every close
//   sent carries a code a close may carry (§7.4.1, §7.4.2: never 1005, 1006, 1015);
// - the server's own frames are never masked, and each message sent back goes out whole.
// Input: a settings byte, a chunking byte, then the client's bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/internal/websocket/session.hpp"

namespace {

using rodeo::ws::frame;
using rodeo::ws::session;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "websocket session contract broken: %s\n", what);
  std::abort();
}

session::settings settings_of(std::uint8_t b) {
  session::settings s;
  if (b & 1) {
    s.max_frame_size = 64;
    s.max_message_size = 256;
  }
  if (b & 2) {
    rodeo::ws::deflate_params p;
    p.client_no_context_takeover = (b & 4) != 0;
    p.server_no_context_takeover = (b & 8) != 0;
    p.server_max_window_bits = 9 + (b >> 4) % 7;
    s.deflate = p;
  }
  return s;
}

// What a session did with one input.
struct outcome {
  std::vector<frame> messages;
  std::string sent;
  bool close_sent = false, close_received = false, failed = false, over = false;
  std::uint16_t sent_code = 0, received_code = 0;

  bool operator==(const outcome& o) const {
    if (messages.size() != o.messages.size()) return false;
    for (std::size_t i = 0; i < messages.size(); ++i)
      if (messages[i].type != o.messages[i].type || messages[i].payload != o.messages[i].payload)
        return false;
    return sent == o.sent && close_sent == o.close_sent && close_received == o.close_received &&
           failed == o.failed && over == o.over && sent_code == o.sent_code &&
           received_code == o.received_code;
  }
};

// Feeds `wire` in pieces of the sizes `chunks` cycles through (empty: at once), then sends
// every data message back as an echo handler would.
outcome run(const session::settings& st, std::string_view wire, std::string_view chunks) {
  session s{st};
  outcome o;
  std::size_t at = 0, k = 0;
  while (at < wire.size()) {
    std::size_t n = wire.size() - at;
    if (!chunks.empty())
      n = std::min<std::size_t>(n,
                                1 + static_cast<unsigned char>(chunks[k++ % chunks.size()]) % 32);
    s.feed(wire.substr(at, n), o.messages);
    at += n;
  }
  for (const auto& m : o.messages)
    if (m.type == rodeo::ws::opcode::text || m.type == rodeo::ws::opcode::binary) s.send(m);
  s.take_output(o.sent);
  o.close_sent = s.close_sent();
  o.close_received = s.close_received();
  o.failed = s.failed();
  o.over = s.over();
  o.sent_code = s.sent_code();
  o.received_code = s.received_code();
  return o;
}

// RFC 6455 §5.2, read independently of wslay: how many messages the client's frames hold
// before the first unmasked frame or close (an upper bound on what may be delivered), and
// whether that unmasked frame arrived whole.
struct reading {
  std::size_t messages = 0;
  bool unmasked_whole = false;
};

reading read_client(std::string_view w) {
  reading r;
  std::size_t at = 0;
  while (w.size() - at >= 2) {
    auto b0 = static_cast<unsigned char>(w[at]), b1 = static_cast<unsigned char>(w[at + 1]);
    std::size_t ext = (b1 & 0x7f) == 126 ? 2 : (b1 & 0x7f) == 127 ? 8 : 0;
    std::size_t head = 2 + ext + ((b1 & 0x80) ? 4 : 0);
    if (w.size() - at < head) break;
    std::uint64_t len = b1 & 0x7f;
    if (ext != 0) {
      len = 0;
      for (std::size_t i = 0; i < ext; ++i)
        len = (len << 8) | static_cast<unsigned char>(w[at + 2 + i]);
    }
    const bool whole = len <= w.size() - at - head;
    const unsigned op = b0 & 0x0f;
    if ((b1 & 0x80) == 0) {
      r.unmasked_whole = whole;
      break;
    }
    if (op == 0x8 || !whole) break;
    if ((b0 & 0x80) != 0 && op != 0x0 && op < 0x8) ++r.messages;  // a whole data message
    if ((b0 & 0x80) != 0 && op == 0x0) ++r.messages;              // a fragmented one's end
    if (op == 0x9 || op == 0xa) ++r.messages;                     // ping, pong
    at += head + static_cast<std::size_t>(len);
  }
  return r;
}

// §7.4.1 codes an endpoint may send, and §7.4.2's 3000-4999.
bool sendable(std::uint16_t c) {
  return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1011) || (c >= 3000 && c <= 4999);
}

// The server's frames (never masked): opcodes, and the close's code if there is one.
void check_sent(std::string_view out, const outcome& o) {
  std::size_t closes = 0;
  while (!out.empty()) {
    if (out.size() < 2) broken("a cut server frame");
    auto b0 = static_cast<unsigned char>(out[0]), b1 = static_cast<unsigned char>(out[1]);
    if ((b1 & 0x80) != 0) broken("a masked server frame");
    if ((b0 & 0x80) == 0) broken("a fragmented server message");
    std::size_t ext = (b1 & 0x7f) == 126 ? 2 : (b1 & 0x7f) == 127 ? 8 : 0;
    if (out.size() < 2 + ext) broken("a cut server frame header");
    std::uint64_t len = b1 & 0x7f;
    if (ext != 0) {
      len = 0;
      for (std::size_t i = 0; i < ext; ++i)
        len = (len << 8) | static_cast<unsigned char>(out[2 + i]);
    }
    if (out.size() - 2 - ext < len) broken("a cut server frame payload");
    if ((b0 & 0x0f) == 0x8) {
      if (++closes > 1) broken("two closes sent");
      if (len == 1) broken("a close with one byte of code");
      if (len >= 2) {
        auto code = static_cast<std::uint16_t>((static_cast<unsigned char>(out[2 + ext]) << 8) |
                                               static_cast<unsigned char>(out[3 + ext]));
        if (!sendable(code)) broken("a close with a code §7.4 forbids");
        if (code != o.sent_code) broken("sent_code differs from the close sent");
      }
    }
    out.remove_prefix(2 + ext + static_cast<std::size_t>(len));
  }
  if ((closes == 1) != o.close_sent) broken("close_sent differs from the bytes sent");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto st = settings_of(data[0]);
  std::string_view wire{reinterpret_cast<const char*>(data) + 2, size - 2};
  // Chunk sizes: the wire's own bytes, offset by the chunking byte.
  std::string chunks(wire.substr(0, 16));
  for (auto& c : chunks) c = static_cast<char>(c + data[1]);
  if (chunks.empty()) chunks.assign(1, static_cast<char>(data[1]));

  const outcome whole = run(st, wire, {});
  const outcome pieces = run(st, wire, chunks);
  if (!(whole == pieces)) broken("chunked input read differently from whole input");

  check_sent(whole.sent, whole);
  const auto r = read_client(wire);
  if (whole.messages.size() > r.messages)
    broken("a message delivered past an unmasked frame, a close or a cut frame");
  if (r.unmasked_whole && !whole.close_sent) broken("an unmasked client frame did not close");
  if (whole.failed) {
    if (!whole.close_sent) broken("failed without a close");
    if (whole.sent_code != 1002 && whole.sent_code != 1007 && whole.sent_code != 1009)
      broken("closed for bad input with a code other than 1002, 1007, 1009");
  }
  if (whole.over && !whole.close_sent) broken("over without a close");
  return 0;
}
