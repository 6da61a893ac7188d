#include "rodeo/router/split.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rodeo::router;
using namespace std::string_view_literals;

namespace {

using views = std::vector<std::string_view>;
using strings = std::vector<std::string>;

views host_labels(std::string_view host) {
  views labels;
  REQUIRE(split_host(strip_port(host), labels));
  return labels;
}

// Copies the segments out: they are views into the path_segments object.
strings path_segs(std::string_view path) {
  path_segments p{path};
  REQUIRE_MESSAGE(p, path);
  return {p.segments().begin(), p.segments().end()};
}

bool path_ok(std::string_view path) { return static_cast<bool>(path_segments{path}); }

}  // namespace

TEST_CASE("split: strip_port drops the port and one trailing dot, keeps IP-literals whole") {
  CHECK(strip_port("example.org") == "example.org");
  CHECK(strip_port("example.org:8080") == "example.org");
  CHECK(strip_port("example.org.") == "example.org");
  CHECK(strip_port("example.org.:443") == "example.org");
  CHECK(strip_port("[::1]:8443") == "[::1]");
  CHECK(strip_port("[::1]") == "[::1]");
  CHECK(strip_port("[::1") == "[::1");
  CHECK(strip_port(":80") == "");
  CHECK(strip_port("") == "");
}

TEST_CASE("split: cowboy_router split_host_test cases, labels left to right") {
  CHECK(host_labels("").empty());
  CHECK(host_labels("*") == views{"*"});
  CHECK(host_labels("cowboy.ninenines.eu") == views{"cowboy", "ninenines", "eu"});
  CHECK(host_labels("ninenines.eu") == views{"ninenines", "eu"});
  CHECK(host_labels("ninenines.eu.") == views{"ninenines", "eu"});
  CHECK(host_labels("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z").size() == 26);
  CHECK(host_labels("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z").back() == "z");
  CHECK(host_labels("[::ffff:10.0.0.1]:80") == views{"[::ffff:10.0.0.1]"});
}

TEST_CASE("split: a host with an empty label is malformed") {
  views labels;
  CHECK_FALSE(split_host("a..b", labels));
  CHECK_FALSE(split_host(".a", labels));
  CHECK_FALSE(split_host("a.", labels));  // strip_port removes one trailing dot, not two
  CHECK_FALSE(split_host(strip_port("a.."), labels));
  CHECK_FALSE(split_host(".", labels));
}

TEST_CASE("split: percent_decode follows RFC 3986 section 2.1") {
  auto decode = [](std::string_view in) {
    std::string out;
    return percent_decode(in, out) ? out : std::string{"<bad>"};
  };
  CHECK(decode("%41%42c") == "ABc");
  CHECK(decode("%3a%3A") == "::");
  CHECK(decode("a+b") == "a+b");
  CHECK(decode("%2F") == "/");
  CHECK(decode("%00") == std::string("\0", 1));
  CHECK(decode("%") == "<bad>");
  CHECK(decode("%2") == "<bad>");
  CHECK(decode("%zz") == "<bad>");
  CHECK(decode("%2g") == "<bad>");
  CHECK(decode("a%") == "<bad>");
}

TEST_CASE("split: cowboy_router split_path_test cases") {
  CHECK(path_segs("/").empty());
  CHECK(path_segs("/extend//cowboy") == strings{"extend", "", "cowboy"});
  CHECK(path_segs("/users") == strings{"users"});
  CHECK(path_segs("/users/42/friends") == strings{"users", "42", "friends"});
  CHECK(path_segs("/users/a%20b/c%21d") == strings{"users", "a b", "c!d"});
  CHECK(path_segs("/users/a+b") == strings{"users", "a+b"});
  CHECK(path_segs("/a/b/") == strings{"a", "b"});
  CHECK(path_segs("//") == strings{""});
}

TEST_CASE("split: an escaped slash or NUL stays inside its segment") {
  CHECK(path_segs("/a%2Fb/c") == strings{"a/b", "c"});
  CHECK(path_segs("/a%2f..%2fb") == strings{"a/../b"});
  CHECK(path_segs("/a%00b") == strings{std::string{"a\0b"sv}});
}

TEST_CASE("split: dot segments are removed per RFC 3986 section 5.2.4") {
  // cowboy_router remove_dot_segments_test cases
  CHECK(path_segs("/a/b/c/./../../g") == strings{"a", "g"});
  CHECK(path_segs("/mid/content=5/../6") == strings{"mid", "6"});
  // ... and escaped dots are dots.
  CHECK(path_segs("/a/%2e%2E/b") == strings{"b"});
  CHECK(path_segs("/a/./b/.") == strings{"a", "b"});
  CHECK(path_segs("/a/..") == strings{});
  CHECK(path_segs("/a/b/../") == strings{"a"});
  CHECK(path_segs("/...") == strings{"..."});
  CHECK(path_segs("/.a/..b") == strings{".a", "..b"});
}

TEST_CASE("split: a path climbing above the root is rejected, not clamped") {
  // Cowboy turns "/../a" into ["a"]; we refuse it (400).
  CHECK_FALSE(path_ok("/../a"));
  CHECK_FALSE(path_ok("/.."));
  CHECK_FALSE(path_ok("/a/../.."));
  CHECK_FALSE(path_ok("/%2e%2e/etc/passwd"));
  CHECK_FALSE(path_ok("/a/./../../b"));
  CHECK(path_ok("/a/../b"));
}

TEST_CASE("split: malformed paths are rejected") {
  CHECK_FALSE(path_ok(""));
  CHECK_FALSE(path_ok("*"));
  CHECK_FALSE(path_ok("users"));
  CHECK_FALSE(path_ok("/%"));
  CHECK_FALSE(path_ok("/%2"));
  CHECK_FALSE(path_ok("/a/%zz/b"));
  path_segments bad{"/a/b/%zz"};
  CHECK(bad.segments().empty());
}
