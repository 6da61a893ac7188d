#include "rodeo/router/pattern.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rodeo::router;

namespace {

// Every alternative of a pattern, rendered ("/hats/:id", "[...].example.org").
std::vector<std::string> alternatives(const pattern& p, bool host) {
  std::vector<std::string> out;
  for (const auto& alt : p.alternatives) out.push_back(to_string(alt, host));
  return out;
}

std::vector<std::string> path_alts(std::string_view text) {
  auto p = parse_path_pattern(text);
  REQUIRE_MESSAGE(p, p.error());
  REQUIRE(p->kind == pattern_kind::list);
  return alternatives(*p, false);
}

std::vector<std::string> host_alts(std::string_view text) {
  auto p = parse_host_pattern(text);
  REQUIRE_MESSAGE(p, p.error());
  REQUIRE(p->kind == pattern_kind::list);
  return alternatives(*p, true);
}

using strings = std::vector<std::string>;

segment lit(std::string t) { return {segment_kind::literal, std::move(t)}; }
segment bind(std::string t) { return {segment_kind::binding, std::move(t)}; }

}  // namespace

TEST_CASE("pattern: underscore is any host and any path, star is the OPTIONS star path") {
  CHECK(parse_host_pattern("_")->kind == pattern_kind::any);
  CHECK(parse_path_pattern("_")->kind == pattern_kind::any);
  CHECK(parse_path_pattern("*")->kind == pattern_kind::star);
  CHECK(parse_host_pattern("_")->alternatives.empty());
}

TEST_CASE("pattern: host segments are stored right to left, as Cowboy compiles them") {
  auto p = parse_host_pattern("cowboy.example.org");
  REQUIRE(p);
  REQUIRE(p->alternatives.size() == 1);
  CHECK(p->alternatives[0] == segments{lit("org"), lit("example"), lit("cowboy")});

  auto b = parse_host_pattern(":subdomain.example.org");
  REQUIRE(b);
  CHECK(b->alternatives[0] == segments{lit("org"), lit("example"), bind("subdomain")});
}

TEST_CASE("pattern: cowboy_router compile_test cases") {
  // From cowboy_router's compile_test_, one alternative per compiled rule.
  struct row {
    const char* text;
    bool host;
    strings expect;
  };
  const row rows[] = {
      {"/", false, {"/"}},
      {"/path/to/resource", false, {"/path/to/resource"}},
      {"/path/to/resource/", false, {"/path/to/resource"}},
      {"/путь/к/ресурсу/", false, {"/путь/к/ресурсу"}},
      {"cowboy.example.org.", true, {"cowboy.example.org"}},
      {".cowboy.example.org", true, {"cowboy.example.org"}},
      {"некий.сайт.рф.", true, {"некий.сайт.рф"}},
      {":subdomain.example.org", true, {":subdomain.example.org"}},
      {"/hats/:name/prices", false, {"/hats/:name/prices"}},
      {"ninenines.:_", true, {"ninenines.:_"}},
      {"/hats/:_", false, {"/hats/:_"}},
      {"[www.]ninenines.eu", true, {"ninenines.eu", "www.ninenines.eu"}},
      {"/horses", false, {"/horses"}},
      {"/hats/[page/:number]", false, {"/hats", "/hats/page/:number"}},
      {"/hats/:page/:number", false, {"/hats/:page/:number"}},
      {"/hats/[page/[:number]]", false, {"/hats", "/hats/page", "/hats/page/:number"}},
      {"[...]ninenines.eu", true, {"[...].ninenines.eu"}},
      {"/hats/[...]", false, {"/hats/[...]"}},
      {"/foo/bar:blah", false, {"/foo/bar:blah"}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    CHECK((r.host ? host_alts(r.text) : path_alts(r.text)) == r.expect);
  }
}

TEST_CASE("pattern: optional groups, rest markers and literals") {
  CHECK(path_alts("/hats[/page]") == strings{"/hats", "/hats/page"});
  CHECK(path_alts("/:a[/b]") == strings{"/:a", "/:a/b"});
  CHECK(path_alts("/a/[b/[...]]") == strings{"/a", "/a/b/[...]"});
  CHECK(path_alts("/[a]/[b]") == strings{"/", "/b", "/a", "/a/b"});
  CHECK(path_alts("/hats[...]") == strings{"/hats/[...]"});
  CHECK(path_alts("/static/[...]/") == strings{"/static/[...]"});
  CHECK(path_alts("/[...]") == strings{"/[...]"});
  CHECK(host_alts("[...].ninenines.eu") == strings{"[...].ninenines.eu"});
  CHECK(host_alts("[:sub.]example.org") == strings{"example.org", ":sub.example.org"});
  // A bare "_" segment is literal text; ":_" is the wildcard (Cowboy).
  CHECK(parse_path_pattern("/a/_")->alternatives[0] == segments{lit("a"), lit("_")});
  // Path literals are compared decoded; host literals lowercase.
  CHECK(parse_path_pattern("/a%20b")->alternatives[0] == segments{lit("a b")});
  CHECK(parse_path_pattern("/a%2Fb")->alternatives[0] == segments{lit("a/b")});
  CHECK(host_alts("WWW.Example.ORG") == strings{"www.example.org"});
  CHECK(path_alts("/Hats") == strings{"/Hats"});
}

TEST_CASE("pattern: eight independent optional groups expand to 256 alternatives") {
  auto p = parse_path_pattern("/[a]/[b]/[c]/[d]/[e]/[f]/[g]/[h]");
  REQUIRE(p);
  CHECK(p->alternatives.size() == 256);
  CHECK(to_string(p->alternatives.front(), false) == "/");
  CHECK(to_string(p->alternatives.back(), false) == "/a/b/c/d/e/f/g/h");
}

TEST_CASE("pattern: names lists each binding once over every alternative") {
  auto p = parse_path_pattern("/:a/[:b/[:a/:c]]");
  REQUIRE(p);
  CHECK(p->names() == strings{"a", "b", "c"});
  auto h = parse_host_pattern(":x.[:y.]example.org");
  REQUIRE(h);
  CHECK(h->names() == strings{"x", "y"});
  CHECK(parse_path_pattern("_")->names().empty());
}

TEST_CASE("pattern: errors quote the pattern and say what is wrong") {
  struct row {
    const char* text;
    bool host;
    const char* error;
  };
  const row rows[] = {
      {"/hats/[:name", false, "route \"/hats/[:name\": unclosed '['"},
      {"/hats/[page/[:number]", false, "route \"/hats/[page/[:number]\": unclosed '['"},
      {"/hats/:name]", false, "route \"/hats/:name]\": ']' without a matching '['"},
      {"/hats/:", false, "route \"/hats/:\": empty binding name after ':'"},
      {"/hats/:/prices", false, "route \"/hats/:/prices\": empty binding name after ':'"},
      {"/hats/[:]", false, "route \"/hats/[:]\": empty binding name after ':'"},
      {"hats", false, "route \"hats\": a path route starts with '/' (or is \"_\" or \"*\")"},
      {"", false, "route \"\": a path route starts with '/' (or is \"_\" or \"*\")"},
      {"/static/[...]/more", false,
       "route \"/static/[...]/more\": '[...]' must end the route: nothing may follow it"},
      {"/[...]/[...]", false,
       "route \"/[...]/[...]\": '[...]' must end the route: nothing may follow it"},
      {"/hats/x[y]", false,
       "route \"/hats/x[y]\": '[' in the middle of a segment: an optional group starts a "
       "segment or begins with '/'"},
      {"/hats/[]", false, "route \"/hats/[]\": empty optional group '[]'"},
      {"/a/%zz", false,
       "route \"/a/%zz\": invalid percent-encoding in segment \"%zz\" (write '%' as %25)"},
      {"/100%", false,
       "route \"/100%\": invalid percent-encoding in segment \"100%\" (write '%' as %25)"},
      {"/a/../b", false,
       "route \"/a/../b\": segment \"..\" never matches (request paths are normalized)"},
      {"/a/%2e", false,
       "route \"/a/%2e\": segment \"%2e\" never matches (request paths are normalized)"},
      {"www.[...]", true,
       "host \"www.[...]\": '[...]' must be the left-most part of a host pattern"},
      {"example.org:8080", true,
       "host \"example.org:8080\": ':' in a host pattern: ports are not part of host patterns "
       "(they are ignored when matching)"},
      {"[www.example.org", true, "host \"[www.example.org\": unclosed '['"},
      {"www.:.org", true, "host \"www.:.org\": empty binding name after ':'"},
      {"/[a]/[b]/[c]/[d]/[e]/[f]/[g]/[h]/[i]", false,
       "route \"/[a]/[b]/[c]/[d]/[e]/[f]/[g]/[h]/[i]\": too many optional groups (more than 256 "
       "alternatives)"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    auto p = r.host ? parse_host_pattern(r.text) : parse_path_pattern(r.text);
    REQUIRE_FALSE(p);
    CHECK(p.error() == r.error);
  }
}
