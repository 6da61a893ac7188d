// Static-table-only QPACK field sections (RFC 9204) for promises and push streams.
#include "rodeo/internal/protocol/http3/push/field_encoder.hpp"

#include <doctest/doctest.h>

#include "bytes.hpp"
#include "rodeo/internal/protocol/http3/push/field_decoder.hpp"

using namespace rodeo::http3::push;
using namespace rodeo::http3::push::test;

namespace {

const std::vector<field> request = {
    {":method", "GET"},   {":scheme", "https"}, {":authority", "example.com"},
    {":path", "/app.js"}, {"accept", "*/*"},    {"x-rodeo-test", std::string(300, 'v')}};

}  // namespace

TEST_CASE("RFC 9204 §4.5.1: sections have Required Insert Count 0 and Base 0, and decode back") {
  field_encoder enc;
  field_decoder dec;
  for (int i = 0; i < 3; ++i) {  // the same fields again: still no dynamic table use
    std::string s = enc.encode(request);
    REQUIRE(s.size() > 2);
    CHECK(s.substr(0, 2) == std::string("\0\0", 2));
    auto fields = dec.decode(to_bytes(s));
    REQUIRE(fields);
    CHECK(*fields == request);
  }
}

TEST_CASE("RFC 9114 §4.2: names go out lowercased") {
  field_encoder enc;
  field_decoder dec;
  std::vector<field> in = {{":status", "200"}, {"Content-Type", "text/css"}};
  auto out = dec.decode(to_bytes(enc.encode(in)));
  REQUIRE(out);
  CHECK((*out)[1].name == "content-type");
}

TEST_CASE("a section that needs a dynamic table, or is cut, or too large, is refused") {
  field_decoder dec;
  // Required Insert Count 1 (encoded 2), delta base 0, indexed field line of dynamic entry 0.
  CHECK_FALSE(dec.decode(to_bytes(std::string("\x02\x00\x80", 3))));
  field_encoder enc;
  std::string s = enc.encode(request);
  CHECK_FALSE(dec.decode(to_bytes(s.substr(0, s.size() - 10))));
  field_decoder small(100);
  CHECK_FALSE(small.decode(to_bytes(s)));
  // The decoder is still usable after a failure.
  CHECK(dec.decode(to_bytes(s)));
}
