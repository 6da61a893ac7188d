// One WebSocket's framing (rodeo/internal/websocket/session) fed a client's bytes, with and
// without permessage-deflate (RFC 7692), as the request actor feeds it. Each input runs twice:
// whole, and in chunks whose sizes come from the input; both runs must agree on every message,
// every byte sent (but pongs: see without_pongs) and the close. Checked on every input:
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
#include <optional>
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

// RFC 6455 §5.2: the frame header at the start of `w`, read independently of wslay; nullopt
// while it is incomplete.
struct header {
  unsigned op = 0;
  bool fin = false, masked = false;
  std::size_t size = 0;  // of the header: 2, 0/2/8 of length, 0/4 of mask key
  std::uint64_t len = 0;
  bool whole(std::string_view w) const { return len <= w.size() - size; }
};

std::optional<header> read_header(std::string_view w) {
  if (w.size() < 2) return std::nullopt;
  auto b0 = static_cast<unsigned char>(w[0]), b1 = static_cast<unsigned char>(w[1]);
  header h{b0 & 0x0fu, (b0 & 0x80) != 0, (b1 & 0x80) != 0};
  std::size_t ext = (b1 & 0x7f) == 126 ? 2 : (b1 & 0x7f) == 127 ? 8 : 0;
  h.size = 2 + ext + (h.masked ? 4 : 0);
  if (w.size() < h.size) return std::nullopt;
  h.len = ext == 0 ? b1 & 0x7f : 0;
  for (std::size_t i = 0; i < ext; ++i) h.len = (h.len << 8) | static_cast<unsigned char>(w[2 + i]);
  return h;
}

// `out` (server frames) without its pongs. wslay sends nothing but the close once a close is
// queued, so a pong due when the session fails (or the client's close arrives) in the same
// feed is dropped, and the other run may have sent it: RFC 6455 §5.5.2 and §7.1.7 allow
// both. Cut frames are left to check_sent.
std::string without_pongs(std::string_view out) {
  std::string kept;
  for (auto h = read_header(out); h && h->whole(out); h = read_header(out)) {
    const auto n = h->size + static_cast<std::size_t>(h->len);
    if (h->op != 0xa) kept.append(out.substr(0, n));
    out.remove_prefix(n);
  }
  kept.append(out);
  return kept;
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
    return without_pongs(sent) == without_pongs(o.sent) && close_sent == o.close_sent &&
           close_received == o.close_received && failed == o.failed && over == o.over &&
           sent_code == o.sent_code && received_code == o.received_code;
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

// How many messages the client's frames hold
// before the first unmasked frame or close (an upper bound on what may be delivered), and
// whether that unmasked frame arrived whole.
struct reading {
  std::size_t messages = 0;
  bool unmasked_whole = false;
};

reading read_client(std::string_view w) {
  reading r;
  for (auto h = read_header(w); h; h = read_header(w)) {
    if (!h->masked) {
      r.unmasked_whole = h->whole(w);
      break;
    }
    if (h->op == 0x8 || !h->whole(w)) break;
    if (h->fin && h->op < 0x8) ++r.messages;  // a whole data message, or a fragmented one's end
    if (h->op == 0x9 || h->op == 0xa) ++r.messages;  // ping, pong
    w.remove_prefix(h->size + static_cast<std::size_t>(h->len));
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
    auto h = read_header(out);
    if (!h || !h->whole(out)) broken("a cut server frame");
    if (h->masked) broken("a masked server frame");
    if (!h->fin) broken("a fragmented server message");
    if (h->op == 0x8) {
      if (++closes > 1) broken("two closes sent");
      if (h->len == 1) broken("a close with one byte of code");
      if (h->len >= 2) {
        auto code = static_cast<std::uint16_t>((static_cast<unsigned char>(out[h->size]) << 8) |
                                               static_cast<unsigned char>(out[h->size + 1]));
        if (!sendable(code)) broken("a close with a code §7.4 forbids");
        if (code != o.sent_code) broken("sent_code differs from the close sent");
      }
    }
    out.remove_prefix(h->size + static_cast<std::size_t>(h->len));
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
  if (!(whole == pieces)) {
    for (const auto* o : {&whole, &pieces})
      std::fprintf(
          stderr, "%zu messages, %zu bytes sent, close sent %d (%u) received %d (%u)%s%s\n",
          o->messages.size(), o->sent.size(), o->close_sent, o->sent_code, o->close_received,
          o->received_code, o->failed ? ", failed" : "", o->over ? ", over" : "");
    broken("chunked input read differently from whole input");
  }

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
