#include "rodeo/http/parse_header.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "http/fuzz.hpp"

using namespace rodeo::http;
using namespace std::string_literals;
using strings = std::vector<std::string>;
using directives = std::vector<cache_directive>;

TEST_CASE("RFC 9110 §8.3.1: content-type lowercases type, subtype, names and the charset") {
  const std::vector<std::pair<std::string, media_type>> rows = {
      {"text/html;charset=utf-8", {"text", "html", {{"charset", "utf-8"}}}},
      {"text/html;charset=UTF-8", {"text", "html", {{"charset", "utf-8"}}}},
      {"Text/HTML;Charset=\"utf-8\"", {"text", "html", {{"charset", "utf-8"}}}},
      {"text/html; charset=\"utf-8\"", {"text", "html", {{"charset", "utf-8"}}}},
      {"text/html; charset=ISO-8859-4", {"text", "html", {{"charset", "iso-8859-4"}}}},
      {"multipart/form-data  \t;Boundary=\"MultipartIsUgly\"",
       {"multipart", "form-data", {{"boundary", "MultipartIsUgly"}}}},
      {"foo/bar; one=FirstParam; two=SecondParam",
       {"foo", "bar", {{"one", "FirstParam"}, {"two", "SecondParam"}}}},
      {"application/json", {"application", "json", {}}},
      {" application/json ", {"application", "json", {}}},
      // RFC 9110 §5.6.6: empty parameters are allowed.
      {"text/html;", {"text", "html", {}}},
      {"text/html; ;a=1;;", {"text", "html", {{"a", "1"}}}},
      {"a/b;p=\"x\\\"y;z\"", {"a", "b", {{"p", "x\"y;z"}}}},
  };
  for (const auto& [in, out] : rows) {
    CAPTURE(in);
    CHECK(parse_content_type(in) == out);
  }
  const auto m = parse_content_type("multipart/mixed; boundary=abc; charset=UTF-8");
  REQUIRE(m.has_value());
  CHECK(m->param("boundary") == "abc");
  CHECK(m->param("charset") == "utf-8");
  CHECK_FALSE(m->param("name").has_value());
}

TEST_CASE("RFC 9110 §8.3.1: malformed content-type values are nullopt") {
  for (std::string_view bad :
       {"", " ", "text", "text/", "/html", "text/html, text/plain", "text/html;charset",
        "text/html;charset=", "text/html x", "te xt/html", "text/html;a=\"b", "text / html",
        "text/html;a=b c", "text/html;=b", "text/html;a=\"\x01\"", "t\xe9xt/html"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_content_type(bad).has_value());
  }
}

TEST_CASE("RFC 9110 §8.6: content-length is digits only and never wraps") {
  CHECK(parse_content_length("0") == 0u);
  CHECK(parse_content_length("42") == 42u);
  CHECK(parse_content_length("1234567890") == 1234567890u);
  CHECK(parse_content_length("007") == 7u);
  CHECK(parse_content_length(" 7\t") == 7u);
  CHECK(parse_content_length("18446744073709551615") == UINT64_MAX);
  for (std::string_view bad : {"", " ", "18446744073709551616", "99999999999999999999", "-1", "+1",
                               "1,1", "123, 123", "4.17", "1 2", "0x10", "1e3", "\xd9\xa1", "a"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_content_length(bad).has_value());
  }
}

TEST_CASE("RFC 9111 §5.2: cache-control directives with token or quoted values") {
  CHECK(parse_cache_control("no-cache") == directives{{"no-cache", std::nullopt}});
  CHECK(parse_cache_control("max-age=0") == directives{{"max-age", "0"}});
  CHECK(parse_cache_control("No-Store, MAX-AGE=30") ==
        directives{{"no-store", std::nullopt}, {"max-age", "30"}});
  CHECK(parse_cache_control("private, community=\"UCI\"") ==
        directives{{"private", std::nullopt}, {"community", "UCI"}});
  CHECK(parse_cache_control("private=\"Content-Type, Content-Encoding\"") ==
        directives{{"private", "Content-Type, Content-Encoding"}});
  CHECK(parse_cache_control(", no-transform ,,") == directives{{"no-transform", std::nullopt}});
  for (std::string_view bad : {"", ",", " , ", "max-age=", "max-age=\"open", "a b", "=1", "a=b c",
                               "a==b", "a;b", "max-age = 5"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_cache_control(bad).has_value());
  }
}

TEST_CASE("RFC 9110 §7.6.1: connection options are lowercase tokens") {
  CHECK(parse_connection("close") == strings{"close"});
  CHECK(parse_connection("ClOsE") == strings{"close"});
  CHECK(parse_connection("Keep-Alive") == strings{"keep-alive"});
  CHECK(parse_connection("keep-alive, Upgrade") == strings{"keep-alive", "upgrade"});
  CHECK(parse_connection(",,a,, b ,") == strings{"a", "b"});
  for (std::string_view bad : {"", " , ", "a b", "a;b", "\"close\"", "close\r\n", "a/b"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_connection(bad).has_value());
  }
}

TEST_CASE("RFC 9110 §7.8: upgrade protocols with optional versions") {
  CHECK(parse_upgrade("h2c") == strings{"h2c"});
  CHECK(parse_upgrade("websocket") == strings{"websocket"});
  CHECK(parse_upgrade("HTTP/2.0, SHTTP/1.3, IRC/6.9, RTA/x11") ==
        strings{"http/2.0", "shttp/1.3", "irc/6.9", "rta/x11"});
  for (std::string_view bad : {"", ",", "a/", "/2", "a/b/c", "a b", "a;b", "a/ b"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_upgrade(bad).has_value());
  }
}

TEST_CASE("RFC 9110 §5.6: parse_header fuzz never throws") {
  rodeo::test::fuzzer fuzz{"aZ/;=,\" \t\\09-",
                           {"text/html; charset=\"utf-8\"", "max-age=30, private=\"a, b\"",
                            "keep-alive, Upgrade", "HTTP/2.0, h2c", "1234"}};
  for (int i = 0; i < rodeo::test::fuzz_iterations; ++i) {
    const auto in = fuzz.next();
    CAPTURE(in);
    std::optional<media_type> m;
    REQUIRE_NOTHROW(m = parse_content_type(in));
    if (m) REQUIRE((!m->type.empty() && !m->subtype.empty()));
    std::optional<std::uint64_t> n;
    REQUIRE_NOTHROW(n = parse_content_length(in));
    if (n) REQUIRE(std::to_string(*n) == std::to_string(std::stoull(std::string{in})));
    std::optional<directives> d;
    REQUIRE_NOTHROW(d = parse_cache_control(in));
    if (d) REQUIRE_FALSE(d->empty());
    std::optional<strings> c;
    REQUIRE_NOTHROW(c = parse_connection(in));
    if (c) REQUIRE_FALSE(c->empty());
    REQUIRE_NOTHROW(c = parse_upgrade(in));
    if (c) REQUIRE_FALSE(c->empty());
  }
}
