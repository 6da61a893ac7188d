#include "rodeo/http/date.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "http/fuzz.hpp"

using namespace rodeo::http;
using namespace std::string_literals;

namespace {

constexpr std::time_t june_2025 = 1748736000;  // 2025-06-01T00:00:00Z, "now" for RFC 850 years

}  // namespace

TEST_CASE("RFC 9110 §5.6.7: the three date forms give the same time") {
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", june_2025) == 784111777);
  CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", june_2025) == 784111777);
  CHECK(parse_http_date("Sun Nov  6 08:49:37 1994", june_2025) == 784111777);
  CHECK(parse_http_date("Sun Nov 06 08:49:37 1994", june_2025) == 784111777);
  CHECK(parse_http_date("Tue, 15 Nov 1994 08:12:31 GMT") == 784887151);
  CHECK(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
  // Surrounding OWS is not part of the field value (RFC 9110 §5.5).
  CHECK(parse_http_date(" \tSun, 06 Nov 1994 08:49:37 GMT \t") == 784111777);
}

TEST_CASE("RFC 9110 §5.6.7: calendar limits, leap years and the leap second") {
  CHECK(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT") == 951782400);
  CHECK(parse_http_date("Thu, 29 Feb 2024 12:00:00 GMT") == 1709208000);
  CHECK_FALSE(parse_http_date("Thu, 29 Feb 1900 00:00:00 GMT").has_value());
  CHECK_FALSE(parse_http_date("Wed, 29 Feb 2023 00:00:00 GMT").has_value());
  CHECK_FALSE(parse_http_date("Mon, 30 Feb 2024 00:00:00 GMT").has_value());
  CHECK_FALSE(parse_http_date("Sun, 31 Apr 1994 00:00:00 GMT").has_value());
  CHECK_FALSE(parse_http_date("Sun, 00 Nov 1994 00:00:00 GMT").has_value());
  CHECK_FALSE(parse_http_date("Sun, 32 Dec 1994 00:00:00 GMT").has_value());
  // 23:59:60 is a leap second: it is the next day's first second.
  CHECK(parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT") == 1483228800);
  CHECK_FALSE(parse_http_date("Sat, 31 Dec 2016 23:59:61 GMT").has_value());
  CHECK_FALSE(parse_http_date("Sat, 31 Dec 2016 23:60:00 GMT").has_value());
  CHECK_FALSE(parse_http_date("Sat, 31 Dec 2016 24:00:00 GMT").has_value());
  CHECK(parse_http_date("Sat, 01 Jan 0000 00:00:00 GMT") == -62167219200);
  CHECK(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT") == 253402300799);
}

TEST_CASE("RFC 9110 §5.6.7: an RFC 850 year more than 50 years ahead is in the past") {
  CHECK(parse_http_date("Wednesday, 06-Nov-75 08:49:37 GMT", june_2025) == 3340255777);  // 2075
  CHECK(parse_http_date("Saturday, 06-Nov-76 08:49:37 GMT", june_2025) == 216118177);    // 1976
  CHECK(parse_http_date("Saturday, 01-Jan-00 00:00:00 GMT", june_2025) == 946684800);    // 2000
  CHECK(parse_http_date("Friday, 01-Jan-99 00:00:00 GMT", june_2025) == 915148800);      // 1999
  CHECK(parse_http_date("Sunday, 01-Jun-25 00:00:00 GMT", june_2025) == june_2025);
  // Near a century's end, small years are in the next one.
  const std::time_t mid_2099 = 4086000000;                                             // 2099-06-24
  CHECK(parse_http_date("Saturday, 01-Jan-01 00:00:00 GMT", mid_2099) == 4133980800);  // 2101
}

TEST_CASE("RFC 9110 §5.6.7: malformed dates are nullopt") {
  for (std::string_view bad : {
           "",
           "0",
           "-1",
           "GMT",
           "Sun, 06 Nov 1994 08:49:37 UTC",
           "Sun, 06 Nov 1994 08:49:37 gmt",
           "Sun, 06 Nov 1994 08:49:37",
           "Sun, 06 Nov 1994 08:49:37 GMTx",
           "sun, 06 Nov 1994 08:49:37 GMT",
           "Sun, 06 nov 1994 08:49:37 GMT",
           "Sun, 06 Nox 1994 08:49:37 GMT",
           "Sun, 6 Nov 1994 08:49:37 GMT",
           "Sun,  06 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 94 08:49:37 GMT",
           "Sun, 06 Nov 19940 08:49:37 GMT",
           "Sun, 06 Nov 1994 8:49:37 GMT",
           "Sun, 06 Nov 1994 08:49 GMT",
           "Sun, 06 Nov 1994 08-49-37 GMT",
           "Sun 06 Nov 1994 08:49:37 GMT",
           "Sun, 06-Nov-94 08:49:37 GMT",
           "Sunday, 06-Nov-1994 08:49:37 GMT",
           "Sunday, 06 Nov 94 08:49:37 GMT",
           "Funday, 06-Nov-94 08:49:37 GMT",
           "Sun Nov 6 08:49:37 1994",
           "Sun Nov   6 08:49:37 1994",
           "Sun Nov  6 08:49:37 94",
           "Sun Nov  6 08:49:37 1994 GMT",
           "Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT",
           "Sun, +6 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 08:49:37 GMT\r\n",
       }) {
    CAPTURE(bad);
    CHECK_FALSE(parse_http_date(bad, june_2025).has_value());
  }
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT\0"s).has_value());
}

TEST_CASE("RFC 9110 §5.6.7: format_http_date writes IMF-fixdate") {
  CHECK(format_http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(format_http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(format_http_date(-1) == "Wed, 31 Dec 1969 23:59:59 GMT");
  CHECK(format_http_date(951782400) == "Tue, 29 Feb 2000 00:00:00 GMT");
  CHECK(format_http_date(1483228800) == "Sun, 01 Jan 2017 00:00:00 GMT");
  CHECK(format_http_date(253402300799) == "Fri, 31 Dec 9999 23:59:59 GMT");
  CHECK(format_http_date(-62167219200) == "Sat, 01 Jan 0000 00:00:00 GMT");
  // Out of the four-digit range: clamped.
  CHECK(format_http_date(INT64_MAX) == "Fri, 31 Dec 9999 23:59:59 GMT");
  CHECK(format_http_date(INT64_MIN) == "Sat, 01 Jan 0000 00:00:00 GMT");
}

TEST_CASE("RFC 9110 §5.6.7: format_http_date agrees with gmtime and parses back") {
  std::mt19937_64 rng{42};
  // 1901..9999: the range both this code and the C library handle.
  std::uniform_int_distribution<std::int64_t> dist{-2177452800, 253402300799};
  for (int i = 0; i < 20000; ++i) {
    const auto t = static_cast<std::time_t>(dist(rng));
    std::tm tm{};
    REQUIRE(gmtime_r(&t, &tm) != nullptr);
    char buf[64];
    REQUIRE(std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm) > 0);
    const auto s = format_http_date(t);
    CAPTURE(t);
    REQUIRE(s == buf);
    REQUIRE(parse_http_date(s) == t);
  }
}

TEST_CASE("RFC 9110 §5.6.7: date fuzz never throws and whatever parses round trips") {
  rodeo::test::fuzzer fuzz{"SunMoNvJa, 0123456789:-GMT",
                           {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                            "Sun Nov  6 08:49:37 1994"}};
  int parsed = 0;
  for (int i = 0; i < rodeo::test::fuzz_iterations; ++i) {
    const auto in = fuzz.next();
    CAPTURE(in);
    std::optional<std::time_t> t;
    REQUIRE_NOTHROW(t = parse_http_date(in, june_2025));
    if (!t) continue;
    ++parsed;
    REQUIRE(parse_http_date(format_http_date(*t), june_2025) == t);
  }
  CHECK(parsed > 100);
}
