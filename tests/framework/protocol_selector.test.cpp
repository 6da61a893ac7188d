// Protocol selection without a socket: ALPN, the clear-text preface sniff (whole, split
// across reads, imperfect) and the h2c upgrade swap.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "rodeo/internal/net/protocol_selector.hpp"

namespace {

using rodeo::protocol_selector;
using verdict = protocol_selector::verdict;

constexpr std::string_view preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// The events an engine reports, with the h2c upgrade passed to the selector as the
// connection does.
struct events final : rodeo::protocol_events {
  protocol_selector* selector = nullptr;
  std::vector<rodeo::stream_id> requests;
  void on_request(rodeo::stream_id id, rodeo::request_head) override { requests.push_back(id); }
  void on_body(rodeo::stream_id, std::string_view, bool) override {}
  void on_stream_reset(rodeo::stream_id, std::uint32_t) override {}
  void on_stream_done(rodeo::stream_id) override {}
  void on_upgrade_h2c(rodeo::request_head head, std::string settings, std::string rest) override {
    selector->note_upgrade(std::move(head), std::move(settings), std::move(rest));
  }
};

// Sniffs `bytes` in one read; they must decide for `protocol`.
std::unique_ptr<rodeo::protocol> sniffed(protocol_selector& sel, std::string_view bytes,
                                         std::string_view protocol) {
  auto e = sel.sniff(bytes);
  REQUIRE(e);
  CHECK(e->name() == protocol);
  return e;
}

// RFC 9113 §4.1: the type of the first frame in `bytes`.
int first_frame_type(std::string_view bytes) {
  return bytes.size() >= 9 ? static_cast<unsigned char>(bytes[3]) : -1;
}

}  // namespace

TEST_CASE("protocol selector: RFC 9113 §3.3 classifies the first clear-text bytes") {
  CHECK(protocol_selector::classify("") == verdict::need_more);
  CHECK(protocol_selector::classify("P") == verdict::need_more);
  CHECK(protocol_selector::classify("PRI * HTTP/2.0\r\n") == verdict::need_more);
  CHECK(protocol_selector::classify(preface) == verdict::http2);
  CHECK(protocol_selector::classify("POST / HTTP/1.1\r\n") == verdict::http1);
  CHECK(protocol_selector::classify("GET / HTTP/1.1\r\n") == verdict::http1);
  // RFC 9113 §3.4: not exactly the preface, but meant as HTTP/2.
  CHECK(protocol_selector::classify("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n") == verdict::http2);
}

TEST_CASE("protocol selector: ALPN h2 gives HTTP/2, anything else HTTP/1.1") {
  events ev;
  protocol_selector sel{ev, {}};
  CHECK(sel.for_alpn("h2")->name() == "h2");
  CHECK(sel.for_alpn("http/1.1")->name() == "http/1.1");
  CHECK(sel.for_alpn("")->name() == "http/1.1");
}

TEST_CASE("protocol selector: the HTTP/2 preface split across reads") {
  events ev;
  protocol_selector sel{ev, {}};
  ev.selector = &sel;
  CHECK(sel.sniff(preface.substr(0, 5)) == nullptr);
  CHECK(sel.sniff(preface.substr(5, 10)) == nullptr);
  auto e = sel.sniff(std::string{preface.substr(15)} + "extra");
  REQUIRE(e);
  CHECK(e->name() == "h2");
  // Every byte read goes to the engine, the preface included.
  CHECK(sel.take_sniffed() == std::string{preface} + "extra");
}

TEST_CASE("protocol selector: an imperfect preface goes to HTTP/2, which answers GOAWAY") {
  events ev;
  protocol_selector sel{ev, {}};
  auto e = sniffed(sel, "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", "h2");
  CHECK_FALSE(e->feed(sel.take_sniffed()));
  std::string out;
  e->take_output(out);
  // The server SETTINGS first (RFC 9113 §3.4), then GOAWAY (type 7).
  CHECK(first_frame_type(out) == 0x4);
  CHECK(out.find(std::string{"\x07\x00\x00\x00\x00\x00", 6}) != std::string::npos);
}

TEST_CASE("protocol selector: HTTP/1.1 is decided on the first byte that is not the preface") {
  events ev;
  protocol_selector sel{ev, {}};
  auto e = sniffed(sel, "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "http/1.1");
  CHECK(e->feed(sel.take_sniffed()));
  CHECK(ev.requests == std::vector<rodeo::stream_id>{1});
}

TEST_CASE("protocol selector: RFC 7540 §3.2 h2c upgrade swaps to HTTP/2 with stream 1") {
  events ev;
  protocol_selector sel{ev, {}};
  ev.selector = &sel;
  auto h1 = sniffed(sel,
                    "GET /up HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n",
                    "http/1.1");
  CHECK(h1->feed(sel.take_sniffed()));
  REQUIRE(sel.upgrade_pending());
  std::string out;
  h1->take_output(out);
  CHECK(out.starts_with("HTTP/1.1 101 Switching Protocols\r\n"));
  auto up = sel.take_upgrade();
  CHECK_FALSE(sel.upgrade_pending());
  REQUIRE(up.engine);
  CHECK(up.engine->name() == "h2");
  CHECK(up.head.path == "/up");
  CHECK(up.engine->open_streams() == 1);  // stream 1 waits for its response
  CHECK(ev.requests.empty());             // dispatched by the connection, not reported
}

TEST_CASE("protocol selector: an h2c upgrade with invalid settings gives no engine") {
  events ev;
  protocol_selector sel{ev, {}};
  sel.note_upgrade({}, "bad", {});  // not a multiple of 6 bytes (RFC 9113 §6.5)
  auto up = sel.take_upgrade();
  CHECK_FALSE(up.engine);
}
