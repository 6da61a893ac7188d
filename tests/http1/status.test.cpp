#include "rodeo/internal/protocol/http1/status.hpp"

#include <doctest/doctest.h>

using rodeo::http1::reason_phrase;

TEST_CASE("RFC 9110 §15: registered status codes have their reason phrase") {
  CHECK(reason_phrase(100) == "Continue");
  CHECK(reason_phrase(101) == "Switching Protocols");
  CHECK(reason_phrase(103) == "Early Hints");
  CHECK(reason_phrase(200) == "OK");
  CHECK(reason_phrase(204) == "No Content");
  CHECK(reason_phrase(304) == "Not Modified");
  CHECK(reason_phrase(404) == "Not Found");
  CHECK(reason_phrase(413) == "Content Too Large");
  CHECK(reason_phrase(421) == "Misdirected Request");
  CHECK(reason_phrase(431) == "Request Header Fields Too Large");
  CHECK(reason_phrase(500) == "Internal Server Error");
  CHECK(reason_phrase(505) == "HTTP Version Not Supported");
}

TEST_CASE("RFC 9112 §4: an unregistered status code has an empty reason phrase") {
  CHECK(reason_phrase(299).empty());
  CHECK(reason_phrase(599).empty());
  CHECK(reason_phrase(0).empty());
}
