#include "rodeo/http/cookies.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "http/fuzz.hpp"

using namespace rodeo::http;

namespace {

struct cookie_row {
  std::string in;
  cookie_pairs out;
};

std::string set_cookie_error(std::string_view name, std::string_view value,
                             const cookie_options& opts = {}) {
  try {
    set_cookie_value(name, value, opts, 0);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

// 2013-07-11T11:38:43Z, a fixed "now" for Expires.
constexpr std::time_t now = 1373542723;

}  // namespace

TEST_CASE("RFC 6265 §5.4: parse_cookies splits pairs on semicolons as cow_cookie does") {
  const std::vector<cookie_row> rows = {
      {"name=value; name2=value2", {{"name", "value"}, {"name2", "value2"}}},
      {"foo=Thu Jul 11 2013 15:38:43 GMT+0400 (MSK)",
       {{"foo", "Thu Jul 11 2013 15:38:43 GMT+0400 (MSK)"}}},
      // Google Analytics sets commas in values.
      {"__utmz=64249653.1400019557.703.13.utmcsr=bluesky.chicagotribune.com|utmccn=(referral)"
       "|utmcct=/originals/chi-12-indispensable-digital-tools-bsi,0,0.storygallery",
       {{"__utmz",
         "64249653.1400019557.703.13.utmcsr=bluesky.chicagotribune.com|utmccn=(referral)"
         "|utmcct=/originals/chi-12-indispensable-digital-tools-bsi,0,0.storygallery"}}},
      {"foo=\\x", {{"foo", "\\x"}}},
      {"foo=;bar=", {{"foo", ""}, {"bar", ""}}},
      {"foo=\\\";;bar=good ", {{"foo", "\\\""}, {"bar", "good"}}},
      {"foo=\"\\\";bar=good", {{"foo", "\"\\\""}, {"bar", "good"}}},
      {"", {}},
      {" ; ,;", {}},
      {"foo=bar , baz=wibble ", {{"foo", "bar , baz=wibble"}}},
      // Technically invalid, but seen in the wild: no '=' gives an empty name.
      {"foo", {{"", "foo"}}},
      {"foo ", {{"", "foo"}}},
      {"foo;", {{"", "foo"}}},
      {"bar;foo=1", {{"", "bar"}, {"foo", "1"}}},
      // Rodeo also trims the name's end and the value's start.
      {"a = b ;c= \"d\"", {{"a", "b"}, {"c", "\"d\""}}},
      {"\t,a=1", {{"a", "1"}}},
      {"dup=1; dup=2", {{"dup", "1"}, {"dup", "2"}}},
      {"x=a=b==", {{"x", "a=b=="}}},
      {"utf8=\xc3\xa9t\xc3\xa9", {{"utf8", "\xc3\xa9t\xc3\xa9"}}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.in);
    CHECK(parse_cookies(r.in) == r.out);
    CHECK(try_parse_cookies(r.in) == r.out);
  }
}

TEST_CASE("RFC 6265 §5.4: parse_cookies rejects what Cowboy answers with 400") {
  for (std::string_view bad : {"=", "=x", "a=1; =2", " = x", "a,b=1", "a,b", "na\tme=1", "a=b\tc",
                               "a=b\rc", "a=b\nc", "a=\vb", "a=\fb", "a\r=1"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_cookies(bad), std::invalid_argument);
    CHECK_FALSE(try_parse_cookies(bad).has_value());
  }
  CHECK_THROWS_WITH(parse_cookies("a=1; =2"),
                    "invalid cookie header: empty cookie name at offset 5");
  CHECK_THROWS_WITH(parse_cookies("a,b=1"),
                    "invalid cookie header: ',' in a cookie name at offset 1");
  CHECK_THROWS_WITH(parse_cookies("a=b\nc"),
                    "invalid cookie header: control byte in a cookie value at offset 3");
}

TEST_CASE("RFC 6265 §4.1: set_cookie_value writes the attributes that are set") {
  CHECK(set_cookie_value("Customer", "WILE_E_COYOTE", {}, now) == "Customer=WILE_E_COYOTE");
  cookie_options o;
  o.http_only = true;
  o.domain = "acme.com";
  CHECK(set_cookie_value("Customer", "WILE_E_COYOTE", o, now) ==
        "Customer=WILE_E_COYOTE; Domain=acme.com; HttpOnly");
  o = {};
  o.path = "/acme";
  CHECK(set_cookie_value("Customer", "WILE_E_COYOTE", o, now) ==
        "Customer=WILE_E_COYOTE; Path=/acme");
  o = {};
  o.secure = true;
  CHECK(set_cookie_value("Customer", "WILE_E_COYOTE", o, now) == "Customer=WILE_E_COYOTE; Secure");
  for (auto [in, out] : std::vector<std::pair<std::string, std::string>>{
           {"strict", "Strict"}, {"Lax", "Lax"}, {"NONE", "None"}}) {
    o = {};
    o.secure = true;
    o.same_site = in;
    CHECK(set_cookie_value("a", "b", o, now) == "a=b; Secure; SameSite=" + out);
  }
  o = {};
  o.max_age = 86417;
  o.domain = ".example.org";
  o.path = "/";
  o.secure = true;
  o.http_only = true;
  o.same_site = "Lax";
  CHECK(set_cookie_value("sid", "\"q1w2\"", o, now) ==
        "sid=\"q1w2\"; Expires=Fri, 12 Jul 2013 11:39:00 GMT; Max-Age=86417; Domain=.example.org; "
        "Path=/; Secure; HttpOnly; SameSite=Lax");
  CHECK(set_cookie_value("empty", "", {}, now) == "empty=");
}

TEST_CASE("RFC 6265 §4.1.2.2: max_age 0 deletes with an Expires in 1970") {
  cookie_options o;
  o.max_age = 0;
  CHECK(set_cookie_value("a", "b", o, now) ==
        "a=b; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0");
  o.max_age = INT64_MAX;
  CHECK(set_cookie_value("a", "b", o, now) ==
        "a=b; Expires=Fri, 31 Dec 9999 23:59:59 GMT; Max-Age=9223372036854775807");
}

TEST_CASE("RFC 6265 §4.1.1: set_cookie_value rejects bad names and values with a clear message") {
  CHECK(set_cookie_error("Na=me", "v") ==
        "cookie name \"Na=me\": byte 0x3D at offset 2 is not allowed (RFC 6265 §4.1.1: a cookie "
        "name is a token)");
  CHECK(set_cookie_error("", "v") == "cookie name is empty (RFC 6265 §4.1.1: it is a token)");
  CHECK(
      set_cookie_error("Name", "Value;") ==
      "cookie value \"Value;\": byte 0x3B at offset 5 is not allowed (RFC 6265 §4.1.1: "
      "cookie-octet "
      "excludes controls, space, '\"', ',', ';' and '\\'; encode the value, e.g. with urlencode)");
  // Control bytes are escaped in the message.
  CHECK(set_cookie_error("a\r\nb", "v") ==
        "cookie name \"a\\x0D\\x0Ab\": byte 0x0D at offset 1 is not allowed (RFC 6265 §4.1.1: a "
        "cookie name is a token)");
  for (std::string_view name :
       {"Name;", "\r\name", "a b", "a,b", "a\"", "(a)", "a/b", "a:b", "é"}) {
    CAPTURE(name);
    CHECK_THROWS_AS(set_cookie_value(name, "v", {}, now), std::invalid_argument);
  }
  for (std::string_view value :
       {"\\value", "a b", "a,b", "a\"b", "\"", "\"a", "a\x7f", "\x01", "caf\xc3\xa9", "\"a b\""}) {
    CAPTURE(value);
    CHECK_THROWS_AS(set_cookie_value("n", value, {}, now), std::invalid_argument);
  }
  // Every token character is a valid name; quoted values are fine.
  CHECK(set_cookie_value("!#$%&'*+-.^_`|~09azAZ", "\"\"", {}, now) == "!#$%&'*+-.^_`|~09azAZ=\"\"");
}

TEST_CASE("RFC 6265 §4.1.1: set_cookie_value rejects bad attributes") {
  cookie_options o;
  o.domain = "exa mple.com";
  CHECK(set_cookie_error("a", "b", o) ==
        "cookie domain \"exa mple.com\": byte 0x20 at offset 3 is not allowed (RFC 6265 §4.1.1: "
        "letters, "
        "digits, '-' and '.')");
  o = {};
  o.path = "/a;b";
  CHECK(set_cookie_error("a", "b", o) ==
        "cookie path \"/a;b\": byte 0x3B at offset 2 is not allowed (RFC 6265 §4.1.1: any CHAR "
        "except "
        "controls and ';')");
  o.path = "/a\nb";
  CHECK_THROWS_AS(set_cookie_value("a", "b", o, now), std::invalid_argument);
  o = {};
  o.max_age = -111;
  CHECK(set_cookie_error("a", "b", o) ==
        "cookie \"a\": max_age -111 is negative (use 0 to delete)");
  o = {};
  o.same_site = "sometimes";
  CHECK(set_cookie_error("a", "b", o) ==
        "cookie same_site \"sometimes\" is not one of Strict, Lax, None (or empty for none)");
  o.same_site = "None";
  CHECK(set_cookie_error("a", "b", o) ==
        "cookie \"a\": SameSite=None needs secure = true (user agents drop it otherwise)");
}

TEST_CASE("RFC 6265 §5.4: cookie header fuzz never throws from try_parse_cookies") {
  rodeo::test::fuzzer fuzz{"ab=; ,\"\t\\x", {"a=b; c=d", "foo=\"bar\"", "k=v=w; x"}};
  for (int i = 0; i < rodeo::test::fuzz_iterations; ++i) {
    const auto in = fuzz.next();
    CAPTURE(in);
    std::optional<cookie_pairs> tried;
    REQUIRE_NOTHROW(tried = try_parse_cookies(in));
    std::optional<cookie_pairs> strict;
    try {
      strict = parse_cookies(in);
    } catch (const std::invalid_argument&) {}
    REQUIRE(strict == tried);
  }
}

TEST_CASE("RFC 6265 §4.1.1: set-cookie fuzz refuses cleanly or writes what parses back") {
  rodeo::test::fuzzer names{"abzAZ09!#$-._~", {"sid", "Customer", "__Host-x"}, 1};
  rodeo::test::fuzzer values{"abz09!#-._~\"=/:[]", {"WILE_E_COYOTE", "\"quoted\"", "a=b"}, 2};
  int round_trips = 0;
  for (int i = 0; i < rodeo::test::fuzz_iterations; ++i) {
    const auto name = names.next();
    const auto value = values.next();
    CAPTURE(name);
    CAPTURE(value);
    try {
      const auto header = set_cookie_value(name, value, {}, now);
      REQUIRE(parse_cookies(header) == cookie_pairs{{name, value}});
      ++round_trips;
    } catch (const std::invalid_argument&) {}
  }
  CHECK(round_trips > 2000);
}
