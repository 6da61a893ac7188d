#include "rodeo/internal/protocol/http1/request_target.hpp"

#include <doctest/doctest.h>

using rodeo::http1::is_valid_host;
using rodeo::http1::parse_request_target;

TEST_CASE("RFC 9112 §3.2.1: the origin-form splits at the first '?'") {
  auto t = parse_request_target("/a/b?x=1?y#f", "GET");
  REQUIRE(t);
  CHECK(t->scheme.empty());
  CHECK(t->authority.empty());
  CHECK(t->path == "/a/b");
  CHECK(t->qs == "x=1?y");
  CHECK(parse_request_target("/", "GET")->qs.empty());
}

TEST_CASE("RFC 9112 §3.2.2: the absolute-form gives scheme, authority, path and query") {
  auto t = parse_request_target("HTTPS://[::1]:8443?q", "GET");
  REQUIRE(t);
  CHECK(t->scheme == "https");
  CHECK(t->authority == "[::1]:8443");
  CHECK(t->path == "/");
  CHECK(t->qs == "q");
  CHECK_FALSE(parse_request_target("http:///p", "GET"));
  CHECK_FALSE(parse_request_target("http://user@h/p", "GET"));
  CHECK_FALSE(parse_request_target("ftp://h/p", "GET"));
  CHECK_FALSE(parse_request_target("h:80", "GET"));
}

TEST_CASE("RFC 9112 §3.2.4: the asterisk-form belongs to OPTIONS") {
  REQUIRE(parse_request_target("*", "OPTIONS"));
  CHECK(parse_request_target("*", "OPTIONS")->path == "*");
  CHECK_FALSE(parse_request_target("*", "GET"));
}

TEST_CASE("RFC 9110 §7.2: Host values") {
  CHECK(is_valid_host(""));
  CHECK(is_valid_host("example.com"));
  CHECK(is_valid_host("example.com:8080"));
  CHECK(is_valid_host("[2001:db8::1]:443"));
  CHECK(is_valid_host("xn--bcher-kva.example"));
  CHECK_FALSE(is_valid_host("a b"));
  CHECK_FALSE(is_valid_host("a/b"));
  CHECK_FALSE(is_valid_host("u@h"));
}
