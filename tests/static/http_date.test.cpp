#include "rodeo/mw/static/http_date.hpp"

#include <doctest/doctest.h>

using namespace rodeo::mw::static_files;

TEST_CASE("http_date formats an IMF-fixdate (RFC 9110 §5.6.7)") {
  CHECK(format_http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(format_http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(format_http_date(-1) == "Wed, 31 Dec 1969 23:59:59 GMT");
  CHECK(format_http_date(951782400) == "Tue, 29 Feb 2000 00:00:00 GMT");
  CHECK(format_http_date(2147483648) == "Tue, 19 Jan 2038 03:14:08 GMT");
}

TEST_CASE("http_date parses the three forms of RFC 9110 §5.6.7") {
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", 2025) == 784111777);
  CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", 2025) == 784111777);
  CHECK(parse_http_date("Sun Nov  6 08:49:37 1994", 2025) == 784111777);
  CHECK(parse_http_date("Tue Feb 29 00:00:00 2000", 2025) == 951782400);
  CHECK(parse_http_date("Tue, 19 Jan 2038 03:14:08 GMT") == 2147483648);
}

TEST_CASE("http_date reads a two-digit RFC 850 year within 50 years ahead (RFC 9110 §5.6.7)") {
  CHECK(parse_http_date("Tuesday, 01-Jan-30 00:00:00 GMT", 2025) == 1893456000);  // 2030
  CHECK(parse_http_date("Thursday, 01-Jan-76 00:00:00 GMT", 2025) == 189302400);  // 1976
}

TEST_CASE("http_date rejects what is not an HTTP-date") {
  for (const char* bad : {"", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 GMT ",
                          "sun, 06 Nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun, 30 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
                          "Sun, 06 Foo 1994 08:49:37 GMT", "Sun Nov 6 08:49:37 1994",
                          "1994-11-06T08:49:37Z", "784111777"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_http_date(bad, 2025).has_value());
  }
}
