#include "rodeo/router/compile.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

#include "router/tags.hpp"

using namespace rodeo::router;
using rodeo::test::tag;
using rodeo::test::tag_of;

TEST_CASE("compile: the route table is written as brace-initialised data") {
  auto routes = compile({
      {"_",
       {
           {"/", tag("page")},
           {"/hello/[:name]", tag("hello")},
           {"/hats/:id", {{"id", int_c}}, tag("hat")},
           {"/static/[...]", tag("static")},
       }},
      {"[www.]ninenines.eu", {{"_", tag("site")}}},
      {":sub.example.org",
       {{"sub", nonempty_c}},
       {
           {"/users/:id", {{"id", {int_c, nonempty_c}}, {"sub", int_c}}, tag("user")},
           {"*", tag("options")},
       }},
  });
  REQUIRE_MESSAGE(routes, routes.error());
  CHECK(routes.error().empty());
  const auto& hosts = routes->hosts();
  REQUIRE(hosts.size() == 3);
  CHECK(hosts[0].source == "_");
  CHECK(hosts[0].pat.kind == pattern_kind::any);
  REQUIRE(hosts[0].paths.size() == 4);
  CHECK(hosts[0].paths[1].source == "/hello/[:name]");
  CHECK(hosts[0].paths[1].pat.alternatives.size() == 2);
  CHECK(tag_of(hosts[0].paths[2].target) == "hat");
  CHECK(hosts[0].paths[2].constraints.size() == 1);
  // One host rule keeps its alternatives together (Cowboy copies the rule per alternative).
  CHECK(hosts[1].pat.alternatives.size() == 2);
  CHECK(hosts[2].constraints.size() == 1);
  CHECK(hosts[2].paths[0].constraints.size() == 2);
  CHECK(hosts[2].paths[1].pat.kind == pattern_kind::star);
}

TEST_CASE("compile: routes are shared when copied and empty by default") {
  routes none;
  CHECK(none.empty());
  CHECK(none.hosts().empty());
  auto r = compile({{"_", {{"/", tag("a")}}}});
  REQUIRE(r);
  routes copy = *r;
  CHECK_FALSE(copy.empty());
  CHECK(&copy.hosts() == &r->hosts());
  auto empty = compile({});
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("compile: errors name the pattern and say what is wrong") {
  struct row {
    const char* name;
    route_table table;
    const char* error;
  };
  const row rows[] = {
      {"unclosed bracket",
       {{"_", {{"/hats/[:name", tag("x")}}}},
       "route \"/hats/[:name\": unclosed '['"},
      {"host named when not the catch-all",
       {{"example.org", {{"/hats/[:name", tag("x")}}}},
       "route \"/hats/[:name\": unclosed '[' (in host \"example.org\")"},
      {"empty binding name",
       {{"_", {{"/:", tag("x")}}}},
       "route \"/:\": empty binding name after ':'"},
      {"no leading slash",
       {{"_", {{"hats", tag("x")}}}},
       "route \"hats\": a path route starts with '/' (or is \"_\" or \"*\")"},
      {"rest not last",
       {{"_", {{"/[...]/x", tag("x")}}}},
       "route \"/[...]/x\": '[...]' must end the route: nothing may follow it"},
      {"bad host",
       {{"[...]www.[...]", {{"/", tag("x")}}}},
       "host \"[...]www.[...]\": '[...]' must be the left-most part of a host pattern"},
      {"unknown path binding",
       {{"_", {{"/hats/:id", {{"name", int_c}}, tag("x")}}}},
       "route \"/hats/:id\": constraint on \"name\", a binding the route does not have (it "
       "binds id)"},
      {"unknown binding on a catch-all path",
       {{"_", {{"_", {{"id", int_c}}, tag("x")}}}},
       "route \"_\": constraint on \"id\", a binding the route does not have (it binds "
       "nothing)"},
      {"unknown host binding",
       {{"example.org", {{"sub", int_c}}, {{"/", tag("x")}}}},
       "host \"example.org\": constraint on \"sub\", a binding the pattern does not have (it "
       "binds nothing)"},
      {"path binding named by a host constraint",
       {{":sub.example.org", {{"id", int_c}}, {{"/:id", tag("x")}}}},
       "host \":sub.example.org\": constraint on \"id\", a binding the pattern does not have "
       "(it binds sub)"},
      {"no handler",
       {{"_", {{"/", rodeo::route_target{}}}}},
       "route \"/\": no handler (give one with rodeo::handler<T>(...))"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.name);
    auto compiled = compile(r.table);
    REQUIRE_FALSE(compiled);
    CHECK(compiled.error() == r.error);
  }
}

TEST_CASE("compile: a path rule may constrain its host's bindings") {
  auto r = compile({{":sub.example.org", {{"/[:id]", {{"sub", int_c}, {"id", int_c}}, tag("x")}}}});
  CHECK_MESSAGE(r, r.error());
}

TEST_CASE("compile: reading a failed result throws the failure message") {
  auto r = compile({{"_", {{"nope", tag("x")}}}});
  REQUIRE_FALSE(r);
  CHECK_THROWS_AS(*r, std::runtime_error);
  CHECK_THROWS_WITH(r->hosts(), doctest::Contains("route \"nope\""));
}
