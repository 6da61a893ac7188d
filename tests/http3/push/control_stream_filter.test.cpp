// The server's reader of the client's control stream (RFC 9114 §6.2.1, §7.2.3, §7.2.7;
// RFC 9218 §7.2), before nghttp3.
#include "rodeo/internal/protocol/http3/push/control_stream_filter.hpp"

#include <doctest/doctest.h>
#include <nghttp3/nghttp3.h>

#include <memory>

#include "bytes.hpp"

using namespace rodeo::http3::push;
using namespace rodeo::http3::push::test;
using kind = control_event::kind;

namespace {

// SETTINGS_QPACK_MAX_TABLE_CAPACITY 0, SETTINGS_QPACK_BLOCKED_STREAMS 0, and a reserved
// (GREASE) setting, as clients send.
const std::string settings =
    frame(0x04, varint(0x01) + varint(0) + varint(0x07) + varint(0) + varint(0x21) + varint(7));
const std::string max_push_id_5 = frame(0x0d, varint(5));
const std::string grease = frame(0x21 + 0x1f * 3, "a reserved frame type");
const std::string cancel_3 = frame(0x03, varint(3));
const std::string priority_push_2 = frame(0xf0701, varint(2) + "u=1");
const std::string priority_request_0 = frame(0xf0700, varint(0) + "u=2");
const std::string goaway = frame(0x07, varint(0));

struct run {
  std::string out;
  std::size_t removed = 0;
  std::vector<control_event> events;
  std::optional<h3_error> error;
};

// Feeds `input` cut as `cuts` says, checking after each read that every byte is accounted
// for: passed on, removed, or held.
run feed(const std::string& input, const std::vector<std::size_t>& cuts) {
  control_stream_filter f;
  bytes in = to_bytes(input);
  std::vector<std::uint8_t> out;
  run r;
  std::size_t at = 0;
  for (auto n : cuts) {
    n = std::min(n, in.size() - at);  // a cut of 9999: the rest
    auto res = f.feed(std::span<const std::uint8_t>(in).subspan(at, n), out);
    at += n;
    r.removed += res.removed;
    r.events.insert(r.events.end(), res.events.begin(), res.events.end());
    if (res.error) {
      r.error = res.error;
      break;
    }
    CHECK(out.size() + r.removed + f.held() == at);
  }
  r.out = to_string(out);
  return r;
}

const std::string stream = std::string(1, '\0') + settings + max_push_id_5 + grease + cancel_3 +
                           priority_push_2 + priority_request_0 + goaway;

}  // namespace

TEST_CASE(
    "control stream: CANCEL_PUSH and PRIORITY_UPDATE(push) out, the rest byte-identical, "
    "whole, byte by byte and in random chunks") {
  const std::string expected_out =
      std::string(1, '\0') + settings + max_push_id_5 + grease + priority_request_0 + goaway;
  const std::vector<control_event> expected_events = {
      {kind::max_push_id, 5}, {kind::cancel_push, 3}, {kind::priority_push, 2}};
  for (auto& cuts : splits(stream.size())) {
    run r = feed(stream, cuts);
    REQUIRE_FALSE(r.error);
    CHECK(r.out == expected_out);
    CHECK(r.removed == cancel_3.size() + priority_push_2.size());
    CHECK(r.events == expected_events);
  }
}

TEST_CASE("control stream: split in two at every byte boundary gives the whole-buffer result") {
  run whole = feed(stream, {stream.size()});
  for (auto& cuts : two_piece_splits(stream.size())) {
    run r = feed(stream, cuts);
    CHECK(r.out == whole.out);
    CHECK(r.removed == whole.removed);
    CHECK(r.events == whole.events);
  }
}

TEST_CASE("§7.2.8: GREASE frames of several sizes pass byte-identical") {
  std::string in = std::string(1, '\0') + settings;
  for (std::uint64_t n : {0ull, 1ull, 2ull, 1000ull, 1ull << 20}) {
    std::uint64_t type = 0x1f * n + 0x21;
    CHECK(is_grease(type));
    in += frame(type, std::string(static_cast<std::size_t>(n % 300), 'g'));
  }
  for (auto& cuts : splits(in.size(), 5)) {
    run r = feed(in, cuts);
    CHECK_FALSE(r.error);
    CHECK(r.out == in);
    CHECK(r.removed == 0);
  }
  CHECK_FALSE(is_grease(0x20));
  CHECK_FALSE(is_grease(0x0d));
}

TEST_CASE("§7.2.7: MAX_PUSH_ID is learned, may stay equal or grow; lowered is H3_ID_ERROR") {
  std::string base = std::string(1, '\0') + settings;
  run up =
      feed(base + frame(0x0d, varint(2)) + frame(0x0d, varint(2)) + frame(0x0d, varint(9)), {9999});
  CHECK_FALSE(up.error);
  CHECK(up.events.back() == control_event{kind::max_push_id, 9});
  control_stream_filter f;
  std::vector<std::uint8_t> out;
  bytes in = to_bytes(base + frame(0x0d, varint(9)));
  CHECK_FALSE(f.feed(in, out).error);
  CHECK(f.max_push_id() == 9);
  bytes lower = to_bytes(frame(0x0d, varint(8)));
  auto res = f.feed(lower, out);
  CHECK(res.error == h3_error::id_error);
  CHECK(f.max_push_id() == 9);
  // Nothing more is read after a connection error.
  bytes more = to_bytes(goaway);
  auto after = f.feed(more, out);
  CHECK(after.events.empty());
  CHECK(out.size() == in.size());
}

TEST_CASE("§7.2.7: a MAX_PUSH_ID in a non-shortest encoding is passed on as it came") {
  std::string in = std::string(1, '\0') + settings + varint(0x0d) + varint(8) +
                   std::string("\xc0\0\0\0\0\0\0\x07", 8);
  run r = feed(in, {in.size()});
  CHECK_FALSE(r.error);
  CHECK(r.out == in);
  CHECK(r.events == std::vector<control_event>{{kind::max_push_id, 7}});
}

TEST_CASE("§7.2.3: CANCEL_PUSH without MAX_PUSH_ID, or above it, is H3_ID_ERROR") {
  std::string base = std::string(1, '\0') + settings;
  CHECK(feed(base + cancel_3, {9999}).error == h3_error::id_error);
  CHECK(feed(base + frame(0x0d, varint(2)) + cancel_3, {9999}).error == h3_error::id_error);
  CHECK_FALSE(feed(base + frame(0x0d, varint(3)) + cancel_3, {9999}).error);
  // RFC 9218 §7.2: the same for PRIORITY_UPDATE on a push ID.
  CHECK(feed(base + priority_push_2, {9999}).error == h3_error::id_error);
}

TEST_CASE("§7.1: a push ID frame whose payload is not exactly one varint is H3_FRAME_ERROR") {
  std::string base = std::string(1, '\0') + settings + max_push_id_5;
  CHECK(feed(base + frame(0x03, ""), {9999}).error == h3_error::frame_error);
  CHECK(feed(base + frame(0x03, varint(1) + "x"), {9999}).error == h3_error::frame_error);
  // A 2-byte varint in a 1-byte payload.
  CHECK(feed(base + varint(0x03) + varint(1) + varint(300), {9999}).error == h3_error::frame_error);
  CHECK(feed(base + frame(0x0d, std::string(9, '\0')), {9999}).error == h3_error::frame_error);
  CHECK(feed(base + frame(0xf0701, ""), {9999}).error == h3_error::frame_error);
}

TEST_CASE("§6.2.1: the first frame must be SETTINGS, even when it would be taken out") {
  CHECK(feed(std::string(1, '\0') + cancel_3, {9999}).error == h3_error::missing_settings);
  CHECK(feed(std::string(1, '\0') + grease + settings, {9999}).error == h3_error::missing_settings);
}

TEST_CASE("§6.2: a stream that is not a control stream passes unchanged, type included") {
  // A QPACK encoder stream (0x02) whose bytes look like a CANCEL_PUSH frame.
  std::string encoder = std::string(1, '\x02') + cancel_3 + cancel_3;
  for (auto& cuts : splits(encoder.size(), 3)) {
    run r = feed(encoder, cuts);
    CHECK(r.out == encoder);
    CHECK(r.removed == 0);
    CHECK(r.events.empty());
  }
  // The control stream type in a two-byte encoding.
  std::string two = std::string("\x40\x00", 2) + settings + cancel_3;
  run r = feed(two, std::vector<std::size_t>(two.size(), 1));
  CHECK(r.error == h3_error::id_error);  // filtered as a control stream: no MAX_PUSH_ID yet
}

// What nghttp3 0.8 itself does with the stream: the reason the filter exists.
TEST_CASE("nghttp3 fails the connection on the raw stream and reads the filtered one") {
  auto read_as_server = [](const std::string& s) {
    nghttp3_callbacks callbacks{};
    nghttp3_settings settings;
    nghttp3_settings_default(&settings);
    nghttp3_conn* conn = nullptr;
    REQUIRE(nghttp3_conn_server_new(&conn, &callbacks, &settings, nghttp3_mem_default(), nullptr) ==
            0);
    std::unique_ptr<nghttp3_conn, void (*)(nghttp3_conn*)> guard(conn, nghttp3_conn_del);
    // PRIORITY_UPDATE names request stream 0: it must be within the client's stream limit.
    nghttp3_conn_set_max_client_streams_bidi(conn, 100);
    // Stream 2: the client's first unidirectional stream.
    return nghttp3_conn_read_stream(conn, 2, reinterpret_cast<const uint8_t*>(s.data()), s.size(),
                                    0);
  };
  CHECK(read_as_server(stream) == NGHTTP3_ERR_H3_FRAME_UNEXPECTED);
  run r = feed(stream, {stream.size()});
  CHECK(read_as_server(r.out) == static_cast<nghttp3_ssize>(r.out.size()));
}
