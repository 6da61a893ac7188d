#include "rodeo/router/match.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <string>

#include "router/tags.hpp"

using namespace rodeo::router;
using rodeo::test::tag;
using rodeo::test::tag_of;

namespace {

using strings = std::vector<std::string>;
using texts = std::map<std::string, std::string>;

routes compiled(const route_table& table) {
  auto r = compile(table);
  REQUIRE_MESSAGE(r, r.error());
  return *r;
}

// The bindings' texts, for comparing whole sets at once.
texts texts_of(const match_result& m) {
  texts out;
  for (const auto& [name, b] : m.bindings) out.emplace(name, b.text());
  return out;
}

// "handler" on a match, else the status name.
std::string outcome(const routes& rs, std::string_view host, std::string_view path) {
  auto m = match(rs, host, path);
  if (!m) {
    CHECK_FALSE(m.target);
    CHECK(m.bindings.empty());
    return std::string{to_string(m.status)};
  }
  return tag_of(m.target);
}

}  // namespace

TEST_CASE("match: cowboy_router match_test cases") {
  // cowboy_router's match_test_ dispatch list, written as patterns.
  const auto rs = compiled({
      {"www.:_.ninenines.eu", {{"/users/:_/mails", tag("match_any_subdomain_users")}}},
      {"ninenines.eu",
       {
           {"/users/:id/friends", tag("match_extend_users_friends")},
           {"_", tag("match_extend")},
       }},
      {"ninenines.:var", {{"/threads/:var", tag("match_duplicate_vars")}}},
      {"erlang.:ext", {{"_", tag("match_erlang_ext")}}},
      {"_",
       {
           {"/users/:id/friends", tag("match_users_friends")},
           {"_", tag("match_any")},
       }},
  });
  struct row {
    const char* host;
    const char* path;
    const char* handler;
    texts bindings;
  };
  const row rows[] = {
      {"any", "/", "match_any", {}},
      {"www.any.ninenines.eu", "/users/42/mails", "match_any_subdomain_users", {}},
      {"www.ninenines.eu", "/users/42/mails", "match_any", {}},
      {"www.ninenines.eu", "/", "match_any", {}},
      {"www.any.ninenines.eu", "/not_users/42/mails", "no_path", {}},
      {"ninenines.eu", "/", "match_extend", {}},
      {"ninenines.eu", "/users/42/friends", "match_extend_users_friends", {{"id", "42"}}},
      {"erlang.fr", "/", "match_erlang_ext", {{"ext", "fr"}}},
      {"any", "/users/444/friends", "match_users_friends", {{"id", "444"}}},
      {"any", "/users//friends", "match_users_friends", {{"id", ""}}},
      {"ninenines.fr", "/threads/fr", "match_duplicate_vars", {{"var", "fr"}}},
      {"ninenines.fr", "/threads/eu", "no_path", {}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.host);
    CAPTURE(r.path);
    auto m = match(rs, r.host, r.path);
    CHECK(outcome(rs, r.host, r.path) == r.handler);
    CHECK(texts_of(m) == r.bindings);
    CHECK(m.host_info.empty());
    CHECK(m.path_info.empty());
  }
}

TEST_CASE("match: cowboy_router match_info_test cases, host_info and path_info") {
  const auto rs = compiled({
      {"www.ninenines.eu", {{"/pathinfo/is/next/[...]", tag("match_path")}}},
      {"[...].ninenines.eu", {{"_", tag("match_any")}}},
      {"сайт.рф", {{"/путь/[...]", tag("match_path")}}},
  });
  struct row {
    const char* host;
    const char* path;
    const char* handler;
    strings host_info, path_info;
  };
  const row rows[] = {
      {"ninenines.eu", "/", "match_any", {}, {}},
      {"bugs.ninenines.eu", "/", "match_any", {"bugs"}, {}},
      {"cowboy.bugs.ninenines.eu", "/", "match_any", {"cowboy", "bugs"}, {}},
      {"www.ninenines.eu", "/pathinfo/is/next", "match_path", {}, {}},
      {"www.ninenines.eu", "/pathinfo/is/next/path_info", "match_path", {}, {"path_info"}},
      {"www.ninenines.eu", "/pathinfo/is/next/foo/bar", "match_path", {}, {"foo", "bar"}},
      {"сайт.рф", "/путь/домой", "match_path", {}, {"домой"}},
      {"сайт.рф",
       "/%D0%BF%D1%83%D1%82%D1%8C/%D0%B4%D0%BE%D0%BC%D0%BE%D0%B9",
       "match_path",
       {},
       {"домой"}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.host);
    CAPTURE(r.path);
    auto m = match(rs, r.host, r.path);
    CHECK(tag_of(m.target) == r.handler);
    CHECK(m.host_info == r.host_info);
    CHECK(m.path_info == r.path_info);
  }
}

TEST_CASE("match: cowboy_router match_constraints_test cases") {
  const auto ints = compiled({{"_", {{"/path/:value", {{"value", int_c}}, tag("match")}}}});
  for (const char* path : {"/path/123", "/path/123/"}) {
    auto m = match(ints, "ninenines.eu", path);
    REQUIRE(m);
    CHECK(m.bindings.at("value").as<std::int64_t>() == 123);
    CHECK(m.bindings.at("value").text() == "123");
  }
  CHECK(match(ints, "ninenines.eu", "/path/NaN/").status == match_status::no_path);

  const auto nonempty =
      compiled({{"_", {{"/path/:value/more", {{"value", nonempty_c}}, tag("match")}}}});
  auto m = match(nonempty, "ninenines.eu", "/path/something/more");
  REQUIRE(m);
  CHECK(m.bindings.at("value").as<std::string>() == "something");
  CHECK(match(nonempty, "ninenines.eu", "/path//more").status == match_status::no_path);

  constraint lowercase = [](std::string_view v) -> std::optional<std::string> {
    for (char c : v)
      if (c >= 'A' && c <= 'Z') return std::nullopt;
    return std::string{v};
  };
  const auto fun =
      compiled({{"_", {{"/path/:username", {{"username", lowercase}}, tag("match")}}}});
  m = match(fun, "ninenines.eu", "/path/essen");
  REQUIRE(m);
  CHECK(m.bindings.at("username").as<std::string>() == "essen");
  CHECK(match(fun, "ninenines.eu", "/path/ESSEN").status == match_status::no_path);
}

TEST_CASE("match: cowboy_router match_same_bindings_test cases") {
  const auto host = compiled({{":same.:same", {{"_", tag("match")}}}});
  auto m = match(host, "eu.eu", "/");
  REQUIRE(m);
  CHECK(texts_of(m) == texts{{"same", "eu"}});
  CHECK(match(host, "ninenines.eu", "/").status == match_status::bad_host);

  const auto across = compiled({{":user.ninenines.eu", {{"/path/:user", tag("match")}}}});
  for (const char* path : {"/path/essen", "/path/essen/"}) {
    m = match(across, "essen.ninenines.eu", path);
    REQUIRE(m);
    CHECK(texts_of(m) == texts{{"user", "essen"}});
  }
  CHECK(match(across, "essen.ninenines.eu", "/path/notessen").status == match_status::no_path);

  const auto path = compiled({{"_", {{"/:same/:same", tag("match")}}}});
  m = match(path, "ninenines.eu", "/path/path");
  REQUIRE(m);
  CHECK(texts_of(m) == texts{{"same", "path"}});
  CHECK(match(path, "ninenines.eu", "/path/to").status == match_status::no_path);
}

TEST_CASE("match: optional segments from the Cowboy routing guide") {
  const auto rs = compiled({{"_",
                             {
                                 {"/hello/[:name]", tag("hello")},
                                 {"/hats/[page/[:number]]", {{"number", int_c}}, tag("hats")},
                             }}});
  CHECK(texts_of(match(rs, "h", "/hello")).empty());
  CHECK(texts_of(match(rs, "h", "/hello/bob")) == texts{{"name", "bob"}});
  CHECK(outcome(rs, "h", "/hello/bob/x") == "no_path");
  CHECK(outcome(rs, "h", "/hats") == "hats");
  CHECK(outcome(rs, "h", "/hats/page") == "hats");
  auto m = match(rs, "h", "/hats/page/3");
  REQUIRE(m);
  CHECK(m.bindings.at("number").as<std::int64_t>() == 3);
  CHECK(outcome(rs, "h", "/hats/page/x") == "no_path");  // the constraint applies when bound
}

TEST_CASE("match: a rejected constraint falls through to the next rule") {
  const auto rs = compiled({
      {":n.example.org", {{"n", int_c}}, {{"/", tag("numbered")}}},
      {"_",
       {
           {"/hats/:id", {{"id", int_c}}, tag("by_id")},
           {"/hats/:name", tag("by_name")},
       }},
  });
  CHECK(outcome(rs, "h", "/hats/12") == "by_id");
  CHECK(outcome(rs, "h", "/hats/red") == "by_name");
  auto m = match(rs, "12.example.org", "/");
  REQUIRE(m);
  CHECK(tag_of(m.target) == "numbered");
  CHECK(m.bindings.at("n").as<std::int64_t>() == 12);
  CHECK(outcome(rs, "x.example.org", "/") == "no_path");  // owned by "_", which has no "/"
}

TEST_CASE("match: a path rule constrains a host binding, which keeps its text") {
  const auto rs = compiled({{":sub.example.org", {{"/", {{"sub", int_c}}, tag("x")}}}});
  auto m = match(rs, "7.example.org", "/");
  REQUIRE(m);
  CHECK(m.bindings.at("sub").as<std::int64_t>() == 7);
  CHECK(m.bindings.at("sub").text() == "7");
  CHECK(outcome(rs, "seven.example.org", "/") == "no_path");
}

TEST_CASE("match: the first matching host owns the request, later hosts are not tried") {
  const auto rs = compiled({
      {"example.org", {{"/a", tag("first")}}},
      {"_", {{"/b", tag("second")}}},
  });
  CHECK(outcome(rs, "example.org", "/a") == "first");
  CHECK(outcome(rs, "example.org", "/b") == "no_path");
  CHECK(outcome(rs, "other.org", "/b") == "second");
  CHECK(outcome(rs, "other.org", "/a") == "no_path");
  const auto only = compiled({{"example.org", {{"/", tag("x")}}}});
  CHECK(outcome(only, "other.org", "/") == "bad_host");
  CHECK(outcome(routes{}, "example.org", "/") == "bad_host");
}

TEST_CASE("match: ports, a trailing dot and letter case in the host are ignored") {
  const auto rs = compiled({{"ninenines.eu", {{"/", tag("x")}}}, {"_", {{"/", tag("any")}}}});
  CHECK(outcome(rs, "ninenines.eu:8080", "/") == "x");
  CHECK(outcome(rs, "ninenines.eu.", "/") == "x");
  CHECK(outcome(rs, "ninenines.eu.:443", "/") == "x");
  CHECK(outcome(rs, "NineNines.EU", "/") == "x");
  CHECK(outcome(rs, "[::1]:8443", "/") == "any");
  const auto ip = compiled({{":ip", {{"/", tag("ip")}}}});
  CHECK(texts_of(match(ip, "[::1]:8443", "/")) == texts{{"ip", "[::1]"}});
  CHECK(texts_of(match(ip, "localhost:80", "/")) == texts{{"ip", "localhost"}});
}

TEST_CASE("match: a malformed host matches only catch-all host rules") {
  const auto strict = compiled({{":a.:b", {{"_", tag("x")}}}});
  CHECK(outcome(strict, "a..b", "/") == "bad_host");
  CHECK(outcome(strict, ".a", "/") == "bad_host");
  const auto lenient = compiled({{":a.:b", {{"_", tag("x")}}}, {"_", {{"_", tag("any")}}}});
  CHECK(outcome(lenient, "a..b", "/") == "any");
  CHECK(outcome(lenient, "a.b", "/") == "x");
}

TEST_CASE("match: the star path matches only star and catch-all rules, RFC 9110 section 9.3.7") {
  const auto star =
      compiled({{"_", {{"/", tag("root")}, {"/[...]", tag("rest")}, {"*", tag("star")}}}});
  CHECK(outcome(star, "h", "*") == "star");
  CHECK(outcome(star, "h", "/") == "root");
  CHECK(outcome(star, "h", "/*") == "rest");
  const auto none = compiled({{"_", {{"/", tag("root")}, {"/[...]", tag("rest")}}}});
  CHECK(outcome(none, "h", "*") == "no_path");
  const auto any =
      compiled({{"_", {{"/[...]", tag("rest")}, {"_", tag("any")}, {"*", tag("star")}}}});
  CHECK(outcome(any, "h", "*") == "any");  // Cowboy: the first of "_" and "*" wins
  const auto only_star = compiled({{"_", {{"*", tag("star")}}}});
  CHECK(outcome(only_star, "h", "/") == "no_path");
}

TEST_CASE("match: bindings and path_info are percent-decoded per segment") {
  const auto rs = compiled({{"_",
                             {
                                 {"/hello/:name", tag("hello")},
                                 {"/a%20b", tag("space")},
                                 {"/static/[...]", tag("static")},
                             }}});
  CHECK(texts_of(match(rs, "h", "/hello/J%C3%B6rg")) == texts{{"name", "Jörg"}});
  CHECK(texts_of(match(rs, "h", "/hello/a%2Fb")) == texts{{"name", "a/b"}});
  CHECK(outcome(rs, "h", "/a%20b") == "space");
  CHECK(outcome(rs, "h", "/a b") == "space");
  CHECK(match(rs, "h", "/static/a%2F..%2Fb").path_info == strings{"a/../b"});
  CHECK(match(rs, "h", "/static/./css/../app.js").path_info == strings{"app.js"});
  CHECK(match(rs, "h", "/static/%2e%2e/static/x").path_info == strings{"x"});
}

TEST_CASE("match: malformed paths are 400 once a host matched, whatever the path rules") {
  const auto rs = compiled({{"example.org", {{"/[...]", tag("rest")}, {"_", tag("any")}}}});
  for (const char* path :
       {"/%zz", "/a%", "/../etc/passwd", "/static/../../etc", "/%2e%2e/x", "relative", ""}) {
    CAPTURE(path);
    auto m = match(rs, "example.org", path);
    CHECK(m.status == match_status::bad_path);
    CHECK(http_status(m.status) == 400);
  }
  // Host first: an unknown host is a bad host even with a bad path.
  CHECK(match(rs, "other.org", "/%zz").status == match_status::bad_host);
}

TEST_CASE("match: statuses map to Cowboy's replies") {
  CHECK(http_status(match_status::ok) == 0);
  CHECK(http_status(match_status::bad_host) == 400);
  CHECK(http_status(match_status::no_path) == 404);
  CHECK(http_status(match_status::bad_path) == 400);
  CHECK(to_string(match_status::no_path) == "no_path");
}

TEST_CASE("match: a throwing constraint rejects the route instead of throwing") {
  constraint boom = [](std::string_view) -> bool { throw std::runtime_error("boom"); };
  const auto rs = compiled({{"_", {{"/:x", {{"x", boom}}, tag("x")}, {"/:y", tag("y")}}}});
  match_result m;
  CHECK_NOTHROW(m = match(rs, "h", "/v"));
  CHECK(tag_of(m.target) == "y");
}
