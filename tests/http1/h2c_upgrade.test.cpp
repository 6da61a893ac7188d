#include "rodeo/internal/protocol/http1/h2c_upgrade.hpp"

#include <doctest/doctest.h>

using rodeo::request_head;
using rodeo::http1::decode_base64url;
using rodeo::http1::h2c_settings;

TEST_CASE("RFC 4648 §5: base64url with and without padding") {
  CHECK(decode_base64url("") == "");
  CHECK(decode_base64url("Zg") == "f");
  CHECK(decode_base64url("Zg==") == "f");
  CHECK(decode_base64url("Zm9vYmFy") == "foobar");
  CHECK(decode_base64url("-_8") == std::string{"\xfb\xff", 2});
  CHECK_FALSE(decode_base64url("Zm9v+g"));  // '+' is base64, not base64url
  CHECK_FALSE(decode_base64url("Z"));
}

TEST_CASE("RFC 7540 §3.2: what makes an h2c upgrade request") {
  request_head head;
  head.version = "HTTP/1.1";
  head.fields = {{"host", "h"},
                 {"connection", "keep-alive"},
                 {"connection", "Upgrade, HTTP2-Settings"},
                 {"upgrade", "websocket, h2c"},
                 {"http2-settings", "AAMAAABkAAQAAP__"}};
  auto settings = h2c_settings(head);
  REQUIRE(settings);
  CHECK(*settings == std::string{"\x00\x03\x00\x00\x00\x64\x00\x04\x00\x00\xff\xff", 12});

  auto with_body = head;
  with_body.has_body = true;
  CHECK_FALSE(h2c_settings(with_body));
  auto http10 = head;
  http10.version = "HTTP/1.0";
  CHECK_FALSE(h2c_settings(http10));
  auto odd = head;
  odd.fields.back().second = "AAMAAABk";  // 6 octets is fine
  CHECK(h2c_settings(odd));
  odd.fields.back().second = "AAMAAA";  // 4 octets is not a whole setting
  CHECK_FALSE(h2c_settings(odd));
}
