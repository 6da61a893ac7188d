// Offsets on a request stream that carries PUSH_PROMISE frames beside nghttp3's bytes
// (RFC 9114 §4.6): acknowledgements and write offsets translated exactly.
#include "rodeo/internal/protocol/http3/push/offset_map.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

#include <algorithm>
#include <random>

#include "bytes.hpp"
#include "rodeo/internal/protocol/http3/push/send_queue.hpp"

using namespace rodeo::http3::push;
using namespace rodeo::http3::push::test;

namespace {

void send_injected(offset_map& m) {
  auto span = m.injected_unsent();
  m.injected_sent(span.size());
}

void send_h3(offset_map& m, const std::string& s) { m.h3_sent(to_bytes(s)); }

const std::string promise = frame(0x05, varint(0) + std::string(16, 'p'));  // 19 bytes
const std::string headers = frame(0x01, std::string(8, 'h'));               // 10 bytes
const std::string data = frame(0x00, std::string(97, 'd'));                 // 100 bytes

}  // namespace

TEST_CASE("promise before nghttp3's first byte: a constant shift; acks straddling it") {
  REQUIRE(promise.size() == 19);
  offset_map m;
  REQUIRE(m.can_inject());
  REQUIRE(m.inject(promise));
  CHECK(to_string(m.injected_unsent()) == promise);
  CHECK_THROWS_AS(send_h3(m, headers), std::logic_error);  // the promise goes first
  send_injected(m);
  send_h3(m, headers);
  send_h3(m, data);
  CHECK(m.quic_offset() == 129);
  CHECK(m.h3_offset() == 110);
  CHECK(m.to_quic(0) == 19);
  CHECK(m.to_quic(110) == 129);
  // QUIC [0, 19) is the promise, [19, 129) nghttp3's [0, 110).
  CHECK(m.acked(0, 10) == 0);
  CHECK(m.injected_held() == 9);
  CHECK(m.acked(10, 15) == 6);  // 9 promise bytes, then 6 of nghttp3's
  CHECK(m.injected_held() == 0);
  CHECK(m.acked(25, 104) == 104);
}

TEST_CASE("a promise between nghttp3's frames; never inside one, never after FIN") {
  offset_map m;
  send_h3(m, headers);
  REQUIRE(m.can_inject());
  REQUIRE(m.inject(promise));
  send_injected(m);
  // QUIC accepted only part of the DATA frame: no promise may go in now.
  send_h3(m, data.substr(0, 1));
  CHECK_FALSE(m.can_inject());
  send_h3(m, data.substr(1, 50));
  CHECK_FALSE(m.inject(promise));
  send_h3(m, data.substr(51));
  CHECK(m.can_inject());
  CHECK(m.to_quic(9) == 9);
  CHECK(m.to_quic(10) == 29);
  // QUIC: headers [0,10), promise [10,29), data [29,129).
  CHECK(m.acked(5, 10) == 5);    // 5 of headers, 5 of the promise
  CHECK(m.acked(15, 20) == 6);   // 14 of the promise, 6 of data
  CHECK(m.acked(35, 94) == 94);  // the rest of data
  CHECK(m.acked(0, 5) == 5);     // an earlier range last
  CHECK(m.injected_held() == 0);
  m.h3_fin();
  CHECK_FALSE(m.can_inject());
}

TEST_CASE("a control stream: nothing before nghttp3's stream type, MAX_PUSH_ID after SETTINGS") {
  offset_map m(1);
  CHECK_FALSE(m.can_inject());
  std::string settings = frame(0x04, varint(1) + varint(0));
  send_h3(m, std::string(1, '\0') + settings.substr(0, 2));
  CHECK_FALSE(m.can_inject());
  send_h3(m, settings.substr(2));
  REQUIRE(m.can_inject());
  REQUIRE(m.inject(frame(0x0d, varint(9))));
  send_injected(m);
  CHECK(m.quic_offset() == 1 + settings.size() + 3);
  CHECK(m.acked(0, m.quic_offset()) == 1 + settings.size());
}

TEST_CASE("a frame header split across writes is not a boundary") {
  offset_map m;
  std::string big = frame(0x00, std::string(300, 'd'));  // 2-byte length varint
  send_h3(m, big.substr(0, 2));
  CHECK_FALSE(m.can_inject());
  send_h3(m, big.substr(2));
  CHECK(m.can_inject());
}

TEST_CASE("any mix of promises and frames, acked in random ranges and order: exact counts") {
  for (unsigned seed = 1; seed <= 50; ++seed) {
    std::mt19937 rng(seed);
    offset_map m;
    std::vector<bool> injected;  // per QUIC byte: Rodeo's (true) or nghttp3's
    for (int step = 0; step < 30; ++step) {
      if (rng() % 3 == 0) {
        std::string p = frame(0x05, varint(step) + std::string(rng() % 40, 'p'));
        REQUIRE(m.inject(p));
        // Sent in random pieces.
        while (!m.injected_unsent().empty()) {
          std::size_t n = std::min<std::size_t>(m.injected_unsent().size(), 1 + rng() % 7);
          m.injected_sent(n);
          injected.insert(injected.end(), n, true);
        }
      } else {
        std::string f = frame(rng() % 2, std::string(rng() % 200, 'x'));
        for (std::size_t at = 0; at < f.size();) {
          std::size_t n = std::min<std::size_t>(f.size() - at, 1 + rng() % 50);
          send_h3(m, f.substr(at, n));
          injected.insert(injected.end(), n, false);
          at += n;
        }
      }
    }
    REQUIRE(m.quic_offset() == injected.size());
    // Cut [0, size) into ranges and acknowledge them in random order.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    for (std::uint64_t at = 0; at < injected.size();) {
      std::uint64_t n = std::min<std::uint64_t>(injected.size() - at, 1 + rng() % 90);
      ranges.push_back({at, n});
      at += n;
    }
    std::shuffle(ranges.begin(), ranges.end(), rng);
    std::uint64_t total = 0;
    for (auto [off, len] : ranges) {
      auto want = static_cast<std::uint64_t>(
          std::count(injected.begin() + static_cast<std::ptrdiff_t>(off),
                     injected.begin() + static_cast<std::ptrdiff_t>(off + len), false));
      CHECK(m.acked(off, len) == want);
      total += want;
    }
    CHECK(total == m.h3_offset());
    CHECK(m.injected_held() == 0);
  }
}

TEST_CASE("send_queue: bytes stay until every byte before them is acknowledged") {
  send_queue q;
  q.push("hello ");
  q.push("");
  q.push("world");
  CHECK(q.end_offset() == 11);
  auto spans = q.unsent(8);
  REQUIRE(spans.size() == 2);
  CHECK(to_string(spans[0]) == "hello ");
  CHECK(to_string(spans[1]) == "wo");
  q.sent(8);
  CHECK(to_string(q.unsent()[0]) == "rld");
  CHECK_THROWS_AS(q.acked(6, 5), std::logic_error);  // not sent yet
  q.sent(3);
  q.acked(6, 5);  // ahead of a gap: nothing released
  CHECK(q.held_bytes() == 11);
  q.acked(0, 3);
  CHECK(q.acked_offset() == 3);
  CHECK(q.held_bytes() == 11);  // "hello " is one chunk, half acknowledged
  q.acked(3, 3);
  CHECK(q.acked_offset() == 11);  // the gap closed: the range ahead joins
  CHECK(q.held_bytes() == 0);
  CHECK_THROWS_AS(q.sent(1), std::logic_error);
}
