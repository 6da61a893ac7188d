#pragma once
// Drives a protocol engine the way a connection does (rodeo/internal/protocol/protocol.hpp): feeds the fuzz
// bytes in chunks, takes the output, answers the requests the engine reports with commands,
// and checks the stream contract on every event. A broken contract aborts, so libFuzzer
// reports it like a crash.
//
// The first two input bytes are a script, the rest is the wire (see `script`): seeds stay
// readable (two bytes, then a real request).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rodeo/internal/protocol/http2/engine.hpp"
#include "rodeo/internal/protocol/protocol.hpp"

namespace rodeo::fuzz {

/// A broken engine contract: print it and abort (libFuzzer keeps the input).
[[noreturn]] inline void broken(const char* what, stream_id id) {
  std::fprintf(stderr, "engine contract broken: %s (stream %d)\n", what, static_cast<int>(id));
  std::abort();
}

/// How the driver answers; decoded from the first two input bytes.
struct script {
  std::size_t chunk = 0;  ///< feed size; 0: everything at once
  int style = 0;          ///< which commands answer a request (see `driver::answer`)
  bool shutdown = false;  ///< graceful stop once the input is fed
  bool tls = false;
  std::size_t body = 0;  ///< response body size
  bool push = false;     ///< HTTP/2: promise a resource before answering
  int limits = 0;        ///< 0: defaults; 1: small limits; 2: pipeline/streams of 1
  bool late = false;     ///< answer only once all input is fed
  /// A WebSocket request (HTTP/1.1 upgrade, RFC 8441 extended CONNECT) is answered by
  /// opening its tunnel (101 / 200), its bytes echoed back, and ended once the input is fed.
  bool tunnel = false;

  static script decode(std::uint8_t a, std::uint8_t b) {
    static constexpr std::size_t chunks[] = {0, 1, 3, 7, 16, 64, 256, 1024};
    static constexpr std::size_t bodies[] = {0, 5, 1000, 70000};
    script s;
    s.chunk = chunks[a & 7];
    s.style = (a >> 3) & 7;
    s.shutdown = a & 0x40;
    s.tls = a & 0x80;
    s.body = bodies[b & 3];
    s.push = b & 4;
    s.limits = (b >> 3) & 3;
    s.late = b & 0x20;
    s.tunnel = b & 0x40;
    return s;
  }

  protocol_limits protocol() const {
    protocol_limits l;
    if (limits == 1) {
      l.max_header_block = 256;
      l.max_body = 100;
      l.initial_window_size = 16;
    } else if (limits == 2) {
      l.max_concurrent_streams = 1;
    }
    return l;
  }
};

/// What the connection knows of a stream.
struct stream_state {
  bool answered = false;
  bool has_body = false;
  bool body_done = false;
  bool pushed = false;
  bool websocket = false;  ///< asks for a WebSocket (is_websocket)
  bool tunnel = false;     ///< answered 101 / 200: its bytes come as body, both ways
};

/// What websocket_handler upgrades: an HTTP/1.1 GET with `upgrade: websocket`, or an HTTP/2
/// CONNECT with `:protocol` (the engines see no more of the handshake than this).
inline bool is_websocket(const request_head& h) {
  if (h.version == "HTTP/2") return h.method == "CONNECT" && !h.protocol.empty();
  for (const auto& [n, v] : h.fields)
    if (n == "upgrade" && v.find("websocket") != std::string::npos) return true;
  return false;
}

/// protocol_events that check the contract and remember what must be answered.
class checked_events : public protocol_events {
 public:
  std::map<stream_id, stream_state> open;
  std::vector<stream_id> ended;  ///< every id that had its end event (never reused)
  struct upgrade_request {
    request_head head;
    std::string settings, rest;
  };
  std::unique_ptr<upgrade_request> upgrade;

  void on_request(stream_id id, request_head head) override {
    if (id <= 0 || open.count(id) || was_ended(id)) broken("on_request for a known id", id);
    open[id] = {.has_body = head.has_body, .websocket = is_websocket(head)};
  }
  void on_body(stream_id id, std::string_view data, bool fin) override {
    auto s = open.find(id);
    if (s == open.end()) broken("on_body for an unknown stream", id);
    // An HTTP/1.1 tunnel's bytes are the connection's: its request had no body.
    if (!(s->second.has_body || s->second.tunnel) || s->second.body_done)
      broken("on_body without a body due", id);
    if (fin) s->second.body_done = true;
    if (s->second.tunnel) echo[id].append(data);
  }
  /// Tunnel bytes received and not yet sent back.
  std::map<stream_id, std::string> echo;
  void on_stream_reset(stream_id id, std::uint32_t) override { end(id, "on_stream_reset"); }
  void on_stream_done(stream_id id) override {
    auto s = open.find(id);
    if (s != open.end() && !s->second.answered) broken("on_stream_done before an answer", id);
    end(id, "on_stream_done");
  }
  void on_upgrade_h2c(request_head head, std::string settings, std::string rest) override {
    if (upgrade) broken("a second h2c upgrade", 1);
    upgrade = std::make_unique<upgrade_request>(
        upgrade_request{std::move(head), std::move(settings), std::move(rest)});
  }

  /// Forgets a stream without an event (HTTP/1.1 reset_stream: no event follows).
  void forget(stream_id id) {
    open.erase(id);
    ended.push_back(id);
  }

 private:
  bool was_ended(stream_id id) const {
    for (auto e : ended)
      if (e == id) return true;
    return false;
  }
  void end(stream_id id, const char* what) {
    if (!open.erase(id)) broken(what, id);
    ended.push_back(id);
  }
};

/// Feeds, answers and drains one engine (HTTP/1.1 or HTTP/2; an h2c upgrade swaps them).
class driver {
 public:
  explicit driver(script s) : script_(s) {}

  checked_events events;

  /// Installs the engine, which must report to `events` (hence not a constructor argument).
  void reset_engine(std::unique_ptr<protocol> e) {
    engine_ = std::move(e);
    h2_ = dynamic_cast<http2::engine*>(engine_.get());
  }

  /// Feeds `bytes` whole (a preface the fuzz bytes follow).
  void prime(std::string_view bytes) {
    feed(bytes);
    drain();
  }

  /// Feeds `wire` by the script's chunks, answering between feeds; then shutdown (if the
  /// script says so), the late answers, and drains.
  void run(std::string_view wire) {
    std::size_t at = 0;
    while (at < wire.size() && alive_) {
      std::size_t n = wire.size() - at;
      if (script_.chunk) n = std::min(script_.chunk, n);
      feed(wire.substr(at, n));
      at += n;
      if (!script_.late) answer_all();
      echo_all(false);
      drain();
    }
    if (script_.shutdown) engine_->shutdown();
    for (int round = 0; round < 8; ++round) {
      answer_all();
      echo_all(round == 7);
      drain();
      if (alive_ && engine_->want_read()) feed({});
    }
    drain();
  }

 private:
  void feed(std::string_view bytes) {
    if (!alive_) return;
    if (!engine_->feed(bytes)) alive_ = false;
    if (events.upgrade) switch_to_h2();
    if (engine_->should_close()) alive_ = false;
  }

  // What the connection does after an accepted `Upgrade: h2c` (connection.cpp finish_upgrade).
  void switch_to_h2() {
    auto up = std::move(events.upgrade);
    std::string out;
    engine_->take_output(out);
    auto h2 = http2::engine::upgrade(events, script_.protocol(), up->settings, up->head);
    if (!h2) {
      alive_ = false;
      return;
    }
    engine_ = std::move(h2);
    h2_ = static_cast<http2::engine*>(engine_.get());
    events.open.erase(1);  // the HTTP/1.1 request 1 is now HTTP/2 stream 1
    events.open[1] = {.has_body = up->head.has_body};
    if (!up->rest.empty()) feed(up->rest);
  }

  void drain() {
    std::string out;
    engine_->take_output(out);
  }

  void answer_all() {
    // Commands may end streams (events erase from `open`): collect the ids first.
    std::vector<stream_id> due;
    for (auto& [id, s] : events.open)
      if (!s.answered) due.push_back(id);
    for (auto id : due) {
      auto s = events.open.find(id);
      if (s == events.open.end() || s->second.answered) continue;
      s->second.answered = true;
      answer(id, s->second.pushed);
    }
  }

  // Sends each tunnel's received bytes back (as websocket_handler's frames would go); `end`:
  // and ends the tunnel, as a close handshake does.
  void echo_all(bool end) {
    std::vector<stream_id> tunnels;
    for (auto& [id, s] : events.open)
      if (s.tunnel) tunnels.push_back(id);
    for (auto id : tunnels) {
      if (!events.open.count(id)) continue;
      std::string data = std::exchange(events.echo[id], {});
      if (!data.empty() || end) engine_->stream_body(id, std::move(data), end);
    }
  }

  void answer(stream_id id, bool pushed) {
    if (h2_ && script_.push && !pushed && id % 2 == 1) promise(id);
    if (!events.open.count(id)) return;
    std::string body(script_.body, 'x');
    protocol& e = *engine_;
    if (script_.tunnel && events.open[id].websocket) {
      // websocket_handler's upgrade: 101 over HTTP/1.1, 200 over HTTP/2 (RFC 8441 §5).
      events.open[id].tunnel = true;
      e.stream_reply(id, h2_ ? 200 : 101,
                     {{"sec-websocket-accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="}});
      return;
    }
    switch (script_.style) {
      case 0:
        e.reply(id, 200, {{"content-type", "text/plain"}}, std::move(body));
        break;
      case 1:
        e.stream_reply(id, 200, {});
        if (events.open.count(id)) e.stream_body(id, body, false);
        if (events.open.count(id)) e.stream_body(id, std::move(body), true);
        break;
      case 2:
        e.stream_reply(id, 200, {{"trailer", "x-sum"}});
        if (events.open.count(id)) e.stream_body(id, std::move(body), false);
        if (events.open.count(id)) e.stream_trailers(id, {{"x-sum", "1"}});
        break;
      case 3:
        e.inform(id, 103, {{"link", "</a.css>; rel=preload"}});
        if (events.open.count(id)) e.reply(id, 404, {}, std::move(body));
        break;
      case 4:
        e.stream_reply(id, 200, {});
        if (events.open.count(id)) e.stream_body(id, std::move(body), false);
        if (events.open.count(id)) reset(id);
        break;
      case 5:
        e.stream_reply(id, 200, {{"content-length", std::to_string(body.size())}});
        if (events.open.count(id)) e.stream_body(id, std::move(body), true);
        break;
      case 6:
        e.reply(id, 304, {{"etag", "\"a\""}}, {});
        break;
      default:
        e.reply(id, 500, {{"connection", "close"}}, std::move(body));
        break;
    }
    (void)e.queued_bytes(id);
  }

  void reset(stream_id id) {
    engine_->reset_stream(id);
    if (!h2_) events.forget(id);  // HTTP/1.1: no event follows (http1/engine.hpp)
  }

  void promise(stream_id parent) {
    request_head h;
    h.method = "GET";
    h.scheme = script_.tls ? "https" : "http";
    h.authority = "example.com";
    h.path = "/pushed.css";
    h.version = "HTTP/2";
    h.fields = {{"accept", "text/css"}};
    stream_id promised = h2_->push_promise(parent, h);
    if (promised == 0) return;
    if (promised % 2 != 0 || events.open.count(promised)) broken("bad promised id", promised);
    events.open[promised] = {.pushed = true};
  }

  script script_;
  std::unique_ptr<protocol> engine_;
  http2::engine* h2_ = nullptr;
  bool alive_ = true;
};

}  // namespace rodeo::fuzz
