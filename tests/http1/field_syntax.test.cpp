#include "rodeo/internal/protocol/http1/field_syntax.hpp"

#include <doctest/doctest.h>

using namespace rodeo::http1;

TEST_CASE("RFC 9110 §5.6.2: tokens") {
  CHECK(is_token("Content-Type"));
  CHECK(is_token("!#$%&'*+-.^_`|~09azAZ"));
  CHECK_FALSE(is_token(""));
  CHECK_FALSE(is_token("Host "));
  CHECK_FALSE(is_token("a:b"));
  CHECK_FALSE(is_token("a\"b"));
}

TEST_CASE("RFC 9110 §5.6.1: list members are found without case and whitespace") {
  CHECK(has_token("Upgrade, HTTP2-Settings", "upgrade"));
  CHECK(has_token("Upgrade, HTTP2-Settings", "http2-settings"));
  CHECK(has_token(" ,  close ,", "close"));
  CHECK_FALSE(has_token("closed", "close"));
  CHECK_FALSE(has_token("", "close"));
  CHECK(trim_ows(" \t a b \t") == "a b");
  CHECK(iequals("Keep-Alive", "keep-alive"));
  CHECK_FALSE(iequals("keep-alive", "keep-alivE "));
}
