#include "rodeo/internal/net/tls/served_names.hpp"

#include <doctest/doctest.h>

// The names a TLS listener is authoritative for (RFC 9113 §9.1.1), from its certificate.

using rodeo::tls::served_names;

namespace {

std::string v4(unsigned char a, unsigned char b, unsigned char c, unsigned char d) {
  return std::string{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                     static_cast<char>(d)};
}

}  // namespace

TEST_CASE("served_names: DNS names compare case-insensitively, a trailing dot ignored") {
  served_names n{{"Example.ORG", "localhost"}, {}};
  CHECK(n.covers("example.org"));
  CHECK(n.covers("EXAMPLE.org"));
  CHECK(n.covers("example.org."));
  CHECK(n.covers("localhost"));
  CHECK_FALSE(n.covers("evil.example"));
  CHECK_FALSE(n.covers("www.example.org"));
  CHECK_FALSE(n.covers(""));
}

TEST_CASE("served_names: RFC 6125 §6.4.3 a wildcard stands for exactly one label") {
  served_names n{{"*.example.org"}, {}};
  CHECK(n.covers("www.example.org"));
  CHECK(n.covers("WWW.Example.org"));
  CHECK_FALSE(n.covers("example.org"));
  CHECK_FALSE(n.covers("a.b.example.org"));
  CHECK_FALSE(n.covers(".example.org"));
}

TEST_CASE("served_names: IP addresses by value, IPv6 with or without brackets") {
  std::string loop6(16, '\0');
  loop6[15] = 1;
  served_names n{{}, {v4(127, 0, 0, 1), loop6}};
  CHECK(n.covers("127.0.0.1"));
  CHECK(n.covers("::1"));
  CHECK(n.covers("[::1]"));
  CHECK(n.covers("[0:0:0:0:0:0:0:1]"));
  CHECK_FALSE(n.covers("127.0.0.2"));
  CHECK_FALSE(n.covers("localhost"));  // a name is not an address
  CHECK(n.describe() == "127.0.0.1, ::1");
}
