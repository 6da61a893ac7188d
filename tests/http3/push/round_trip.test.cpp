// Server writers to client readers: PUSH_PROMISE on the request stream (RFC 9114 §7.2.5) and
// the push stream (§4.6, §6.2.2) with a 100 KB body, read back byte-identical however the
// bytes are cut.
#include "rodeo/internal/protocol/http3/push/push_stream_writer.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

#include "bytes.hpp"
#include "rodeo/internal/protocol/http3/push/field_decoder.hpp"
#include "rodeo/internal/protocol/http3/push/field_encoder.hpp"
#include "rodeo/internal/protocol/http3/push/frame_writer.hpp"
#include "rodeo/internal/protocol/http3/push/push_stream_reader.hpp"
#include "rodeo/internal/protocol/http3/push/request_stream_filter.hpp"

using namespace rodeo::http3::push;
using namespace rodeo::http3::push::test;
using kind = push_stream_event::kind;

namespace {

std::vector<field> promised(std::string path) {
  return {{":method", "GET"},
          {":scheme", "https"},
          {":authority", "example.com"},
          {":path", std::move(path)}};
}
const std::vector<field> response = {{":status", "200"}, {"content-type", "text/javascript"}};
const std::vector<field> trailers = {{"x-checksum", "abc123"}};

std::string body_of(std::size_t size) {
  std::string b(size, '\0');
  std::mt19937 rng(7);
  for (auto& c : b) c = static_cast<char>(rng());
  return b;
}

// Everything a push stream writer produces, taken as QUIC would: at most `mtu` bytes per
// packet, acknowledged as it goes.
std::string drain(push_stream_writer& w, std::size_t mtu) {
  std::string wire;
  while (w.output().unsent_bytes() > 0) {
    std::size_t took = 0;
    for (auto span : w.output().unsent(mtu)) {
      wire.append(span.begin(), span.end());
      took += span.size();
    }
    std::uint64_t at = w.output().sent_offset();
    w.output().sent(took);
    w.output().acked(at, took);
  }
  return wire;
}

struct pushed {
  std::optional<std::uint64_t> push_id;
  std::vector<field> headers;
  std::string body;
  std::vector<field> trailers;
  bool ended = false;
  std::optional<h3_error> error;
  std::string passed;  // bytes for nghttp3 (not a push stream)
};

pushed read_push_stream(const std::string& wire, const std::vector<std::size_t>& cuts,
                        std::optional<std::uint64_t> max_push_id = 10) {
  field_decoder dec;
  push_stream_reader r(dec, max_push_id);
  bytes in = to_bytes(wire);
  std::vector<std::uint8_t> out;
  pushed p;
  std::size_t at = 0;
  for (auto n : cuts) {
    n = std::min(n, in.size() - at);  // a cut of 9999: the rest
    bool fin = at + n == in.size();
    auto res = r.feed(std::span<const std::uint8_t>(in).subspan(at, n), fin, out);
    at += n;
    for (auto& e : res.events) {
      switch (e.what) {
        case kind::push_id:
          p.push_id = e.push_id;
          break;
        case kind::headers:
          p.headers = e.fields;
          break;
        case kind::data:
          p.body += e.data;
          break;
        case kind::trailers:
          p.trailers = e.fields;
          break;
        case kind::end:
          p.ended = true;
          break;
      }
    }
    if (res.error) {
      p.error = res.error;
      break;
    }
  }
  p.passed = to_string(out);
  return p;
}

}  // namespace

TEST_CASE("§4.6: a push stream with a 100 KB body arrives byte-identical, however cut") {
  field_encoder enc;
  const std::string body = body_of(100 * 1024);
  push_stream_writer w(3);
  w.headers(enc.encode(response));
  // The body in uneven pieces, as a handler would produce it.
  for (std::size_t at = 0, piece = 1; at < body.size(); at += piece, piece = piece * 3 % 9973 + 1) {
    w.data(body.substr(at, piece));
  }
  w.trailers(enc.encode(trailers));
  CHECK(w.ended());
  std::string wire = drain(w, 1200);
  CHECK(w.fin_due());
  CHECK(w.output().held_bytes() == 0);                     // every byte acknowledged and released
  CHECK(wire.substr(0, 2) == std::string("\x01\x03", 2));  // stream type 0x01, push ID 3

  for (auto& cuts : splits(wire.size(), 5)) {
    pushed p = read_push_stream(wire, cuts);
    REQUIRE_FALSE(p.error);
    CHECK(p.push_id == 3);
    CHECK(p.headers == response);
    CHECK(p.body.size() == body.size());
    CHECK(p.body == body);
    CHECK(p.trailers == trailers);
    CHECK(p.ended);
    CHECK(p.passed.empty());
  }
}

TEST_CASE("§7.2.5: PUSH_PROMISE frames are taken out of the response stream and decoded") {
  field_encoder enc;
  field_decoder dec;
  std::string p0 = push_promise_frame(0, enc.encode(promised("/app.js")));
  std::string p1 = push_promise_frame(1, enc.encode(promised("/style.css")));
  std::string headers = headers_frame(enc.encode(response));
  std::string data = data_frame_header(5) + "hello";
  std::string grease = frame(0x21 + 0x1f * 7, "reserved");
  std::string wire = p0 + headers + p1 + grease + data;
  for (auto& cuts : splits(wire.size())) {
    request_stream_filter f(dec, 1);
    bytes in = to_bytes(wire);
    std::vector<std::uint8_t> out;
    std::vector<promise> promises;
    std::size_t removed = 0, at = 0;
    for (auto n : cuts) {
      auto res = f.feed(std::span<const std::uint8_t>(in).subspan(at, n), out);
      at += n;
      REQUIRE_FALSE(res.error);
      removed += res.removed;
      promises.insert(promises.end(), res.promises.begin(), res.promises.end());
      CHECK(out.size() + removed + f.held() == at);
    }
    CHECK(to_string(out) == headers + grease + data);
    CHECK(removed == p0.size() + p1.size());
    REQUIRE(promises.size() == 2);
    CHECK(promises[0] == promise{0, promised("/app.js")});
    CHECK(promises[1] == promise{1, promised("/style.css")});
  }
}

TEST_CASE("§7.2.5: a promise above the client's MAX_PUSH_ID, or with none, is H3_ID_ERROR") {
  field_encoder enc;
  field_decoder dec;
  bytes p2 = to_bytes(push_promise_frame(2, enc.encode(promised("/a"))));
  std::vector<std::uint8_t> out;
  request_stream_filter one(dec, 1);
  CHECK(one.feed(p2, out).error == h3_error::id_error);
  request_stream_filter none(dec, std::nullopt);
  CHECK(none.feed(p2, out).error == h3_error::id_error);
  request_stream_filter raised(dec, 1);
  raised.allow_up_to(2);
  CHECK_FALSE(raised.feed(p2, out).error);
}

TEST_CASE("a malformed, oversized or undecodable PUSH_PROMISE is a connection error") {
  field_decoder dec;
  std::vector<std::uint8_t> out;
  request_stream_filter empty(dec, 9);
  CHECK(empty.feed(to_bytes(frame(0x05, "")), out).error == h3_error::frame_error);
  request_stream_filter big(dec, 9, 100);
  CHECK(big.feed(to_bytes(frame(0x05, varint(1) + std::string(200, 'x'))), out).error ==
        h3_error::excessive_load);
  request_stream_filter dynamic(dec, 9);
  CHECK(
      dynamic.feed(to_bytes(frame(0x05, varint(1) + std::string("\x02\x00\x80", 3))), out).error ==
      h3_error::qpack_decompression_failed);
}

TEST_CASE("§4.1, §7.2: frames out of place on a push stream") {
  field_encoder enc;
  std::string head = std::string("\x01\x00", 2);
  std::string h = headers_frame(enc.encode(response));
  std::string d = data_frame_header(2) + "hi";
  auto error_of = [](const std::string& wire) {
    return read_push_stream(wire, {wire.size()}).error;
  };
  CHECK(error_of(head + d) == h3_error::frame_unexpected);  // DATA before HEADERS
  CHECK(error_of(head + h + cancel_push_frame(0)) == h3_error::frame_unexpected);
  CHECK(error_of(head + h + frame(0x04, "")) == h3_error::frame_unexpected);  // SETTINGS
  CHECK(error_of(head + h + h + d) == h3_error::frame_unexpected);            // DATA after trailers
  CHECK(error_of(head + h + d.substr(0, 3)) == h3_error::frame_error);        // FIN inside a frame
  CHECK(error_of(head) == h3_error::message_error);                           // no response at all
  CHECK(error_of(std::string("\x01\x0b", 2) + h) == h3_error::id_error);      // push ID 11 > 10
  CHECK(read_push_stream(head + h, {head.size() + h.size()}, std::nullopt).error ==
        h3_error::id_error);
  // Unknown and GREASE frames are skipped.
  pushed p = read_push_stream(head + frame(0x21, "x") + h + frame(0x40, "yy") + d, {9999});
  CHECK_FALSE(p.error);
  CHECK(p.body == "hi");
  CHECK(p.ended);
}

TEST_CASE("§6.2: server unidirectional streams that are not push streams pass unchanged") {
  std::string control = std::string(1, '\0') + frame(0x04, "") + frame(0x07, varint(4));
  for (auto& cuts : splits(control.size(), 3)) {
    pushed p = read_push_stream(control, cuts);
    CHECK_FALSE(p.error);
    CHECK(p.passed == control);
    CHECK_FALSE(p.push_id);
  }
}

TEST_CASE("the push stream writer keeps the order HEADERS, DATA, trailers") {
  push_stream_writer w(0);
  CHECK_THROWS_AS(w.data("x"), std::logic_error);
  CHECK_THROWS_AS(w.end(), std::logic_error);
  const std::string_view empty_section("\0\0", 2);
  w.headers(empty_section);
  CHECK_THROWS_AS(w.headers(empty_section), std::logic_error);
  w.data("");
  w.end();
  CHECK_THROWS_AS(w.data("x"), std::logic_error);
  CHECK_FALSE(w.fin_due());  // type, push ID and HEADERS not yet sent
  drain(w, 1);
  CHECK(w.fin_due());
}
