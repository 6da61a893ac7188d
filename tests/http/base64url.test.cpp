#include "rodeo/http/base64url.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

using namespace rodeo::http;

TEST_CASE("RFC 4648 §5: base64url encodes without padding and decodes back") {
  CHECK(encode_base64url("") == "");
  CHECK(encode_base64url("f") == "Zg");
  CHECK(encode_base64url("foobar") == "Zm9vYmFy");
  CHECK(encode_base64url(std::string{"\xfb\xff", 2}) == "-_8");
  std::mt19937 rng{4648};
  for (int n = 0; n < 64; ++n) {
    std::string bytes;
    for (int i = 0; i < n; ++i) bytes += static_cast<char>(rng() & 0xff);
    CHECK(decode_base64url(encode_base64url(bytes)) == bytes);
  }
  CHECK_FALSE(decode_base64url("Zm9v+g"));
  CHECK_FALSE(decode_base64url("A"));
}
