#include "rodeo/http/range.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "http/fuzz.hpp"

using namespace rodeo::http;
using ranges = std::vector<byte_range>;

namespace {

constexpr auto none = std::nullopt;

}  // namespace

TEST_CASE("RFC 9110 §14.1.1: int, open and suffix byte ranges") {
  CHECK(parse_range("bytes=0-99,200-,-500") == ranges{{0, 99}, {200, none}, {none, 500}});
  CHECK(parse_range("bytes=0-0") == ranges{{0, 0}});
  CHECK(parse_range("bytes=0-499") == ranges{{0, 499}});
  CHECK(parse_range("bytes=500-999") == ranges{{500, 999}});
  CHECK(parse_range("bytes=-500") == ranges{{none, 500}});
  CHECK(parse_range("bytes=9500-") == ranges{{9500, none}});
  CHECK(parse_range("bytes=0-0,-1") == ranges{{0, 0}, {none, 1}});
  // Overlapping and unordered ranges are the server's call (RFC 9110 §14.2), not a syntax error.
  CHECK(parse_range("bytes=500-600,601-999,0-10,5-7") ==
        ranges{{500, 600}, {601, 999}, {0, 10}, {5, 7}});
  // A zero suffix-length is well formed (and unsatisfiable).
  CHECK(parse_range("bytes=-0") == ranges{{none, 0}});
  CHECK(parse_range("bytes=0-18446744073709551615") == ranges{{0, UINT64_MAX}});
  CHECK((*parse_range("bytes=-5"))[0].is_suffix());
  CHECK_FALSE((*parse_range("bytes=5-"))[0].is_suffix());
}

TEST_CASE("RFC 9110 §14.1: the unit is case-insensitive and the list takes OWS") {
  CHECK(parse_range("Bytes=1-2") == ranges{{1, 2}});
  CHECK(parse_range("BYTES=1-2") == ranges{{1, 2}});
  CHECK(parse_range(" bytes=0-1 , 2-3 ,, ") == ranges{{0, 1}, {2, 3}});
  CHECK(parse_range("bytes=,0-1") == ranges{{0, 1}});
}

TEST_CASE("RFC 9110 §14.1.1: invalid range headers are nullopt") {
  for (std::string_view bad : {"",
                               "bytes",
                               "bytes=",
                               "bytes=,",
                               "bytes= , ",
                               "bytes=-",
                               "bytes=5-2",
                               "bytes=0-1,5-2",
                               "bytes=a-b",
                               "bytes=1-2-3",
                               "bytes=1",
                               "bytes =1-2",
                               "bytes= =1-2",
                               "items=0-1",
                               "none",
                               "bytes=0-1;x",
                               "bytes=--1",
                               "bytes=1--2",
                               "bytes=+1-2",
                               "bytes=1 -2",
                               "bytes=1- 2",
                               "bytes=0x10-20",
                               "bytes=18446744073709551616-",
                               "bytes=0-18446744073709551616",
                               "bytes=-18446744073709551616",
                               "bytes=0-1 2-3",
                               "bytesx=0-1",
                               "bytes:0-1"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_range(bad).has_value());
  }
}

TEST_CASE("RFC 9110 §14.1.1: range fuzz never throws and results are ordered pairs") {
  rodeo::test::fuzzer fuzz{"bytes=0129-, ", {"bytes=0-99,200-,-500", "bytes=1-2"}};
  for (int i = 0; i < rodeo::test::fuzz_iterations; ++i) {
    const auto in = fuzz.next();
    CAPTURE(in);
    std::optional<ranges> rs;
    REQUIRE_NOTHROW(rs = parse_range(in));
    if (!rs) continue;
    REQUIRE_FALSE(rs->empty());
    for (const auto& r : *rs) {
      REQUIRE((r.first || r.last));
      if (r.first && r.last) REQUIRE(*r.first <= *r.last);
    }
  }
}
