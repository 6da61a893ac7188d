// QUIC variable-length integers (RFC 9000 §16 and its examples in §A.1).
#include "rodeo/internal/protocol/http3/push/varint.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

#include "bytes.hpp"

using namespace rodeo::http3::push;
using namespace rodeo::http3::push::test;

namespace {

struct example {
  std::string wire;
  std::uint64_t value;
};

// RFC 9000 §A.1.
const example examples[] = {
    {std::string("\xc2\x19\x7c\x5e\xff\x14\xe8\x8c", 8), 151288809941952652ull},
    {std::string("\x9d\x7f\x3e\x7d", 4), 494878333},
    {std::string("\x7b\xbd", 2), 15293},
    {std::string("\x25", 1), 37},
    {std::string("\x40\x25", 2), 37},  // not the shortest encoding, still valid
};

}  // namespace

TEST_CASE("RFC 9000 §16: the examples of §A.1 decode, whole and split at every byte") {
  for (const auto& ex : examples) {
    bytes in = to_bytes(ex.wire);
    std::size_t used = 0;
    auto v = read_varint(in, used);
    REQUIRE(v);
    CHECK(*v == ex.value);
    CHECK(used == in.size());
    for (auto& cuts : two_piece_splits(in.size())) {
      varint_reader r;
      std::size_t at = 0;
      for (auto n : cuts) {
        at += r.feed(std::span<const std::uint8_t>(in).subspan(at, n));
      }
      CHECK(r.done());
      CHECK(r.value() == ex.value);
      CHECK(to_string(r.raw()) == ex.wire);
    }
  }
}

TEST_CASE("RFC 9000 §16: encoding is the shortest, at each length's bounds") {
  CHECK(varint(37) == "\x25");
  CHECK(varint(15293) == std::string("\x7b\xbd", 2));
  CHECK(varint(494878333) == std::string("\x9d\x7f\x3e\x7d", 4));
  CHECK(varint(151288809941952652ull) == std::string("\xc2\x19\x7c\x5e\xff\x14\xe8\x8c", 8));
  const std::uint64_t bounds[] = {0,          63,        64, 16383, 16384, (1ull << 30) - 1,
                                  1ull << 30, varint_max};
  for (std::uint64_t v : bounds) {
    std::string s = varint(v);
    CHECK(s.size() == varint_size(v));
    bytes b = to_bytes(s);
    std::size_t used = 0;
    CHECK(read_varint(b, used) == v);
  }
  CHECK(varint_size(63) == 1);
  CHECK(varint_size(64) == 2);
  CHECK(varint_size(16384) == 4);
  CHECK(varint_size(1ull << 30) == 8);
  std::string out;
  CHECK_THROWS_AS(append_varint(out, varint_max + 1), std::invalid_argument);
}

TEST_CASE("a varint_reader stops at the end of its varint and leaves the rest") {
  bytes in = to_bytes(std::string("\x7b\xbd\x25", 3));
  varint_reader r;
  CHECK(r.feed(in) == 2);
  CHECK(r.value() == 15293);
  std::size_t used = 0;
  CHECK_FALSE(read_varint(std::span<const std::uint8_t>(in).first(1), used));
}
