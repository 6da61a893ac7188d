#include "rodeo/mw/static/ranges.hpp"

#include <doctest/doctest.h>

using namespace rodeo::mw::static_files;

namespace {

const validators current{"\"abc\"", 784111777};

range_decision get(rodeo::headers h, std::uint64_t size = 10000, const char* method = "GET") {
  return resolve_range(method, h, size, current);
}

void check_partial(const range_decision& d, std::uint64_t first, std::uint64_t last,
                   const char* content_range) {
  CHECK(d.kind == range_kind::partial);
  CHECK(d.first == first);
  CHECK(d.last == last);
  CHECK(d.content_range == content_range);
}

}  // namespace

TEST_CASE("ranges resolve a single range to 206 (RFC 9110 §14.2)") {
  check_partial(get({{"range", "bytes=0-499"}}), 0, 499, "bytes 0-499/10000");
  check_partial(get({{"range", "bytes=500-999"}}), 500, 999, "bytes 500-999/10000");
  check_partial(get({{"range", "bytes=9500-20000"}}), 9500, 9999, "bytes 9500-9999/10000");
  check_partial(get({{"range", "bytes=9000-"}}), 9000, 9999, "bytes 9000-9999/10000");
  check_partial(get({{"range", "bytes=-500"}}), 9500, 9999, "bytes 9500-9999/10000");
  check_partial(get({{"range", "bytes=-20000"}}), 0, 9999, "bytes 0-9999/10000");
  check_partial(get({{"range", "bytes=9999-9999"}}), 9999, 9999, "bytes 9999-9999/10000");
}

TEST_CASE("ranges answer 416 when no range is satisfiable (RFC 9110 §15.5.17)") {
  for (const char* r : {"bytes=10000-", "bytes=10000-10005", "bytes=-0", "bytes=20000-, 30000-"}) {
    CAPTURE(r);
    const auto d = get({{"range", r}});
    CHECK(d.kind == range_kind::unsatisfiable);
    CHECK(d.content_range == "bytes */10000");
  }
  const auto empty = get({{"range", "bytes=0-"}}, 0);
  CHECK(empty.kind == range_kind::unsatisfiable);
  CHECK(empty.content_range == "bytes */0");
  CHECK(get({{"range", "bytes=-5"}}, 0).kind == range_kind::full);
}

TEST_CASE("ranges serve the whole file for several ranges") {
  CHECK(get({{"range", "bytes=0-1,5-6"}}).kind == range_kind::full);
  CHECK(get({{"range", "bytes=0-1, -5"}}).kind == range_kind::full);
  CHECK(get({{"range", "bytes=0-1"}, {"range", "bytes=5-6"}}).kind == range_kind::full);
  // Unsatisfiable parts are dropped: one satisfiable range left is a 206.
  check_partial(get({{"range", "bytes=0-1, 20000-"}}), 0, 1, "bytes 0-1/10000");
}

TEST_CASE("ranges are ignored when invalid or not on GET (RFC 9110 §14.2)") {
  CHECK(get({}).kind == range_kind::full);
  CHECK(get({{"range", "bytes=5-1"}}).kind == range_kind::full);
  CHECK(get({{"range", "items=0-1"}}).kind == range_kind::full);
  CHECK(get({{"range", "bytes=0-1"}}, 10000, "HEAD").kind == range_kind::full);
  CHECK(get({{"range", "bytes=0-1"}}, 10000, "POST").kind == range_kind::full);
  CHECK(get({{"range", "bytes=0-1"}}).content_range == "bytes 0-1/10000");
  CHECK(get({}).content_range.empty());
  for (const char* bad : {"", "bytes=", "bytes=a-b", "bytes=1-2 3-4", "bytes 0-1", "bytes=0",
                          "bytes=99999999999999999999999-"}) {
    CAPTURE(bad);
    CHECK(get({{"range", bad}}).kind == range_kind::full);
  }
  // The unit is case-insensitive (RFC 9110 §14.1); OWS and empty elements are allowed.
  check_partial(get({{"range", "BYTES=0-9"}}), 0, 9, "bytes 0-9/10000");
  check_partial(get({{"range", "bytes= , 0-9 ,"}}), 0, 9, "bytes 0-9/10000");
}

TEST_CASE("ranges honour If-Range (RFC 9110 §13.1.5)") {
  auto with = [](const char* if_range) {
    return get({{"range", "bytes=0-9"}, {"if-range", if_range}});
  };
  check_partial(with("\"abc\""), 0, 9, "bytes 0-9/10000");
  check_partial(with("Sun, 06 Nov 1994 08:49:37 GMT"), 0, 9, "bytes 0-9/10000");
  CHECK(with("\"old\"").kind == range_kind::full);
  CHECK(with("W/\"abc\"").kind == range_kind::full);  // weak tags never match
  CHECK(with("Sun, 06 Nov 1994 08:49:36 GMT").kind == range_kind::full);
  CHECK(with("Sun, 06 Nov 1994 08:49:38 GMT").kind == range_kind::full);  // exact match only
  CHECK(with("garbage").kind == range_kind::full);
  // If-Range makes a would-be 416 a 200 when it does not match.
  CHECK(get({{"range", "bytes=20000-"}, {"if-range", "\"old\""}}).kind == range_kind::full);
}
