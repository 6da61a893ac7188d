#include "rodeo/http/lex.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace rodeo::http::detail;
using namespace std::string_literals;

TEST_CASE("RFC 9110 §5.6.2: tchar is the token alphabet") {
  const std::string tchars =
      "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (int c = 0; c < 256; ++c) {
    CAPTURE(c);
    CHECK(is_tchar(static_cast<char>(c)) ==
          (tchars.find(static_cast<char>(c)) != std::string::npos && c != 0));
  }
}

TEST_CASE("RFC 9110 §5.6.3: trim_ows drops spaces and tabs only") {
  CHECK(trim_ows(" \t a b \t ") == "a b");
  CHECK(trim_ows("") == "");
  CHECK(trim_ows(" \t") == "");
  CHECK(trim_ows("\r\na\r\n") == "\r\na\r\n");
}

TEST_CASE("parse_u64: digits only and no overflow") {
  CHECK(parse_u64("0") == 0u);
  CHECK(parse_u64("18446744073709551615") == UINT64_MAX);
  CHECK_FALSE(parse_u64("18446744073709551616").has_value());
  CHECK_FALSE(parse_u64("").has_value());
  CHECK_FALSE(parse_u64("1a").has_value());
  CHECK_FALSE(parse_u64("-1").has_value());
}

TEST_CASE("RFC 9110 §5.6.4: quoted-string unescapes quoted-pairs and refuses controls") {
  std::string out;
  cursor c{"\"a\\\"b\\\\c\" rest"};
  REQUIRE(c.quoted_string(out));
  CHECK(out == "a\"b\\c");
  CHECK(c.rest() == " rest");

  cursor tab{"\"a\tb\\\tc\""};
  REQUIRE(tab.quoted_string(out));
  CHECK(out == "a\tb\tc");

  cursor empty{"\"\""};
  REQUIRE(empty.quoted_string(out));
  CHECK(out.empty());

  for (std::string bad : {"\"open"s, "\"a\\\""s, "\"\x01\""s, "\"a\x7f\""s, "\"a\\\x01\""s,
                          "\"\0\""s, "x\"a\""s, "\"a\\"s}) {
    CAPTURE(bad);
    cursor b{bad};
    CHECK_FALSE(b.quoted_string(out));
    CHECK(b.pos() == 0);
  }
}

TEST_CASE("RFC 9110 §12.4.2: qvalue leaves the cursor after the value or untouched") {
  cursor c{"0.5;x"};
  CHECK(c.qvalue() == 500);
  CHECK(c.rest() == ";x");
  cursor bad{"1.5"};
  CHECK_FALSE(bad.qvalue().has_value());
  CHECK(bad.pos() == 0);
}

TEST_CASE("RFC 9110 §5.6.1.2: list separators skip empty elements") {
  cursor c{" , ,a , b"};
  c.skip_list_separators();
  CHECK(c.token() == "a");
  CHECK(c.end_of_element());
  c.skip_list_separators();
  CHECK(c.token() == "b");
  CHECK(c.end_of_element());
  CHECK(c.done());
  cursor d{"a b"};
  CHECK(d.token() == "a");
  CHECK_FALSE(d.end_of_element());
}
