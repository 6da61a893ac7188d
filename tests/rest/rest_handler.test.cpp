#include "rodeo/rest/rest_handler.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rest/rest_fixture.hpp"

// The decision diagram, one row per outcome: a resource whose callbacks say one thing, a
// request, and the status and fields Cowboy's cowboy_rest answers with (its rest_handler
// tests and rest_flowcharts are the reference).

using rodeo::headers;
using rodeo::test::exchange;
using rodeo::test::field;
using rodeo::test::resource;
namespace rest = rodeo::rest;

namespace {

constexpr std::time_t t0 = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
const char* const t0_text = "Sun, 06 Nov 1994 08:49:37 GMT";
const char* const t0_minus_1 = "Sun, 06 Nov 1994 08:49:36 GMT";

struct row {
  const char* name;
  std::function<void(resource&)> setup;
  const char* method;
  headers fields;
  std::optional<std::string> body;
  int status;
  headers expect;  // fields the reply must carry with these values ("" : must be absent)
};

void all_methods(resource& h) { h.allowed = h.known; }

const std::vector<row>& table() {
  static const std::vector<row> rows{
      // --- checks ---
      {"service unavailable", [](resource& h) { h.available = false; }, "GET", {}, {}, 503, {}},
      {"unknown method", {}, "BREW", {}, {}, 501, {}},
      {"uri too long", [](resource& h) { h.too_long = true; }, "GET", {}, {}, 414, {}},
      {"method not allowed lists allow",
       {},
       "DELETE",
       {},
       {},
       405,
       {{"allow", "GET, HEAD, OPTIONS"}}},
      {"malformed", [](resource& h) { h.malformed = true; }, "GET", {}, {}, 400, {}},
      {"unauthorized with challenge",
       [](resource& h) { h.auth = rest::auth_result::challenge("Basic realm=\"notes\""); },
       "GET",
       {},
       {},
       401,
       {{"www-authenticate", "Basic realm=\"notes\""}}},
      {"forbidden", [](resource& h) { h.is_forbidden = true; }, "GET", {}, {}, 403, {}},
      {"invalid content headers",
       [](resource& h) { h.content_headers_ok = false; },
       "GET",
       {},
       {},
       501,
       {}},
      {"entity too large", [](resource& h) { h.entity_length_ok = false; }, "GET", {}, {}, 413, {}},
      {"options sets allow", {}, "OPTIONS", {}, {}, 200, {{"allow", "GET, HEAD, OPTIONS"}}},
      // --- negotiation ---
      {"no accept takes the first type",
       [](resource& h) {
         h.types = {"application/json", "text/plain"};
       },
       "GET",
       {},
       {},
       200,
       {{"content-type", "application/json"}, {"vary", "accept"}}},
      {"accept picks the type",
       [](resource& h) {
         h.types = {"application/json", "text/plain"};
       },
       "GET",
       {{"accept", "text/plain"}},
       {},
       200,
       {{"content-type", "text/plain"}}},
      {"accept quality wins over the server's order",
       [](resource& h) {
         h.types = {"application/json", "text/plain"};
       },
       "GET",
       {{"accept", "application/json;q=0.5, text/*"}},
       {},
       200,
       {{"content-type", "text/plain"}}},
      {"q=0 excludes a type */* would take",
       [](resource& h) {
         h.types = {"application/json", "text/plain"};
       },
       "GET",
       {{"accept", "*/*, application/json;q=0"}},
       {},
       200,
       {{"content-type", "text/plain"}}},
      {"one type: no vary", {}, "GET", {}, {}, 200, {{"vary", ""}, {"content-type", "text/html"}}},
      {"no acceptable type", {}, "GET", {{"accept", "image/png"}}, {}, 406, {}},
      {"no types at all", [](resource& h) { h.types = {}; }, "GET", {}, {}, 406, {}},
      {"language negotiated",
       [](resource& h) {
         h.languages = {"en", "fr"};
       },
       "GET",
       {{"accept-language", "fr-ca, fr;q=0.8"}},
       {},
       200,
       {{"content-language", "fr"}, {"vary", "accept-language"}}},
      {"no acceptable language",
       [](resource& h) { h.languages = {"en"}; },
       "GET",
       {{"accept-language", "de"}},
       {},
       406,
       {}},
      {"charset negotiated",
       [](resource& h) {
         h.charsets = {"utf-8", "iso-8859-1"};
       },
       "GET",
       {{"accept-charset", "iso-8859-1"}},
       {},
       200,
       {{"content-type", "text/html; charset=iso-8859-1"}, {"vary", "accept-charset"}}},
      {"no acceptable charset",
       [](resource& h) { h.charsets = {"utf-8"}; },
       "GET",
       {{"accept-charset", "iso-8859-5"}},
       {},
       406,
       {}},
      // --- existence ---
      {"missing", [](resource& h) { h.exists = false; }, "GET", {}, {}, 404, {}},
      {"gone",
       [](resource& h) {
         h.exists = false;
         h.existed = true;
       },
       "GET",
       {},
       {},
       410,
       {}},
      {"moved permanently",
       [](resource& h) {
         h.exists = false;
         h.existed = true;
         h.permanently = "/new";
       },
       "GET",
       {},
       {},
       301,
       {{"location", "/new"}}},
      {"moved temporarily",
       [](resource& h) {
         h.exists = false;
         h.existed = true;
         h.temporarily = "/tmp";
       },
       "GET",
       {},
       {},
       307,
       {{"location", "/tmp"}}},
      {"if-match on a missing resource",
       [](resource& h) { h.exists = false; },
       "GET",
       {{"if-match", "*"}},
       {},
       412,
       {}},
      // --- GET: validators and conditions (RFC 9110 §13.2.2) ---
      {"validators sent",
       [](resource& h) {
         h.etag = rodeo::http::entity_tag{"v1", false};
         h.modified = t0;
         h.expiry = t0;
       },
       "GET",
       {},
       {},
       200,
       {{"etag", "\"v1\""}, {"last-modified", t0_text}, {"expires", t0_text}}},
      {"if-none-match hit: 304 with etag",
       [](resource& h) {
         h.etag = rodeo::http::entity_tag{"v1", false};
       },
       "GET",
       {{"if-none-match", "W/\"v1\""}},
       {},
       304,
       {{"etag", "\"v1\""}}},
      {"if-none-match miss",
       [](resource& h) {
         h.etag = rodeo::http::entity_tag{"v1", false};
       },
       "GET",
       {{"if-none-match", "\"v0\""}},
       {},
       200,
       {}},
      {"if-none-match * on a HEAD", {}, "HEAD", {{"if-none-match", "*"}}, {}, 304, {}},
      {"if-match strong hit",
       [](resource& h) {
         h.etag = rodeo::http::entity_tag{"v1", false};
       },
       "GET",
       {{"if-match", "\"v1\""}},
       {},
       200,
       {}},
      {"if-match against a weak etag fails",
       [](resource& h) {
         h.etag = rodeo::http::entity_tag{"v1", true};
       },
       "GET",
       {{"if-match", "W/\"v1\""}},
       {},
       412,
       {}},
      {"if-unmodified-since passed",
       [](resource& h) { h.modified = t0; },
       "GET",
       {{"if-unmodified-since", t0_minus_1}},
       {},
       412,
       {}},
      {"if-unmodified-since ignored under if-match",
       [](resource& h) {
         h.modified = t0;
         h.etag = rodeo::http::entity_tag{"v1", false};
       },
       "GET",
       {{"if-match", "\"v1\""}, {"if-unmodified-since", t0_minus_1}},
       {},
       200,
       {}},
      {"if-modified-since not modified",
       [](resource& h) { h.modified = t0; },
       "GET",
       {{"if-modified-since", t0_text}},
       {},
       304,
       {{"last-modified", t0_text}}},
      {"if-modified-since modified",
       [](resource& h) { h.modified = t0; },
       "GET",
       {{"if-modified-since", t0_minus_1}},
       {},
       200,
       {}},
      {"if-modified-since ignored under if-none-match",
       [](resource& h) {
         h.modified = t0;
         h.etag = rodeo::http::entity_tag{"v1", false};
       },
       "GET",
       {{"if-none-match", "\"v0\""}, {"if-modified-since", t0_text}},
       {},
       200,
       {}},
      {"multiple choices", [](resource& h) { h.choices = true; }, "GET", {}, {}, 300, {}},
      // --- DELETE ---
      {"delete done", all_methods, "DELETE", {}, {}, 204, {}},
      {"delete done with a body",
       [](resource& h) {
         all_methods(h);
         h.change_body = "bye";
       },
       "DELETE",
       {},
       {},
       200,
       {{"content-type", "text/html"}}},
      {"delete accepted",
       [](resource& h) {
         all_methods(h);
         h.completed = false;
       },
       "DELETE",
       {},
       {},
       202,
       {}},
      {"delete failed",
       [](resource& h) {
         all_methods(h);
         h.deleted = false;
       },
       "DELETE",
       {},
       {},
       500,
       {}},
      {"delete missing",
       [](resource& h) {
         all_methods(h);
         h.exists = false;
       },
       "DELETE",
       {},
       {},
       404,
       {}},
      {"delete if-match mismatch",
       [](resource& h) {
         all_methods(h);
         h.etag = rodeo::http::entity_tag{"v2", false};
       },
       "DELETE",
       {{"if-match", "\"v1\""}},
       {},
       412,
       {}},
      {"delete if-none-match hit is 412, not 304",
       [](resource& h) {
         all_methods(h);
         h.etag = rodeo::http::entity_tag{"v1", false};
       },
       "DELETE",
       {{"if-none-match", "\"v1\""}},
       {},
       412,
       {}},
      // --- PUT / PATCH / POST ---
      {"put without content-type",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"application/json"};
       },
       "PUT",
       {},
       "{}",
       415,
       {}},
      {"put of an unaccepted type",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"application/json"};
       },
       "PUT",
       {{"content-type", "text/plain"}},
       "x",
       415,
       {}},
      {"put replaces",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"application/json"};
       },
       "PUT",
       {{"content-type", "application/json; charset=utf-8"}},
       "{}",
       204,
       {}},
      {"put with a result body",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"application/*"};
         h.change_body = "ok";
       },
       "PUT",
       {{"content-type", "application/json"}},
       "{}",
       200,
       {}},
      {"put creates",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"*/*"};
         h.exists = false;
       },
       "PUT",
       {{"content-type", "text/plain"}},
       "x",
       201,
       {}},
      {"put conflict",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"*/*"};
         h.conflict = true;
       },
       "PUT",
       {{"content-type", "text/plain"}},
       "x",
       409,
       {}},
      {"put to a moved resource",
       [](resource& h) {
         all_methods(h);
         h.exists = false;
         h.permanently = "/n/2";
       },
       "PUT",
       {{"content-type", "text/plain"}},
       "x",
       301,
       {{"location", "/n/2"}}},
      {"put refused by the acceptor",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"*/*"};
         h.accept_with = rest::accept_result::refused();
       },
       "PUT",
       {{"content-type", "text/plain"}},
       "x",
       400,
       {}},
      {"put if-none-match * on an existing resource",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"*/*"};
       },
       "PUT",
       {{"content-type", "text/plain"}, {"if-none-match", "*"}},
       "x",
       412,
       {}},
      {"put if-none-match * on a missing resource",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"*/*"};
         h.exists = false;
       },
       "PUT",
       {{"content-type", "text/plain"}, {"if-none-match", "*"}},
       "x",
       201,
       {}},
      {"patch",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"application/merge-patch+json"};
       },
       "PATCH",
       {{"content-type", "application/merge-patch+json"}},
       "{}",
       204,
       {}},
      {"post created",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"*/*"};
         h.accept_with = rest::accept_result::created("/n/9");
       },
       "POST",
       {{"content-type", "text/plain"}},
       "x",
       201,
       {{"location", "/n/9"}}},
      {"post see other",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"*/*"};
         h.accept_with = rest::accept_result::see_other("/n");
       },
       "POST",
       {{"content-type", "text/plain"}},
       "x",
       303,
       {{"location", "/n"}}},
      {"post to missing, allowed",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"*/*"};
         h.exists = false;
       },
       "POST",
       {{"content-type", "text/plain"}},
       "x",
       204,
       {}},
      {"post to missing, refused",
       [](resource& h) {
         all_methods(h);
         h.accepted = {"*/*"};
         h.exists = false;
         h.missing_post = false;
       },
       "POST",
       {{"content-type", "text/plain"}},
       "x",
       404,
       {}},
      {"post to gone, refused",
       [](resource& h) {
         all_methods(h);
         h.exists = false;
         h.existed = true;
         h.missing_post = false;
       },
       "POST",
       {{"content-type", "text/plain"}},
       "x",
       410,
       {}},
  };
  return rows;
}

}  // namespace

TEST_CASE("rest_handler: the decision diagram, row by row") {
  for (const auto& row : table()) {
    const std::string row_name = row.name;
    CAPTURE(row_name);
    resource h;
    if (row.setup) row.setup(h);
    exchange x(row.method, row.fields, row.body);
    auto cmds = x.run(h);
    REQUIRE(cmds.size() == 1);
    const auto* reply = std::get_if<rodeo::cmd::reply>(&cmds[0]);
    REQUIRE(reply != nullptr);
    CHECK(reply->status == row.status);
    for (const auto& [name, value] : row.expect) {
      const std::string field_name = name;
      CAPTURE(field_name);
      if (value.empty())
        CHECK_FALSE(field(reply->fields, name).has_value());
      else
        CHECK(field(reply->fields, name) == value);
    }
  }
}

TEST_CASE("rest_handler: GET runs the chosen provider; HEAD too, the engine drops the body") {
  resource h;
  h.types = {"application/json", "text/plain"};
  exchange x("GET", {{"accept", "text/plain"}});
  auto cmds = x.run(h);
  REQUIRE(cmds.size() == 1);
  CHECK(std::get<rodeo::cmd::reply>(cmds[0]).body == "body as text/plain");
  CHECK(h.calls == std::vector<std::string>{"provide text/plain"});
}

TEST_CASE("rest_handler: 304 and errors run no provider") {
  resource h;
  h.etag = rodeo::http::entity_tag{"v1", false};
  exchange x("GET", {{"if-none-match", "\"v1\""}});
  x.run(h);
  CHECK(h.calls.empty());
}

TEST_CASE("rest_handler: the acceptor gets the whole body") {
  resource h;
  all_methods(h);
  h.accepted = {"application/json"};
  exchange x("PUT", {{"content-type", "application/json"}}, std::string{"{\"text\":\"hi\"}"});
  x.run(h);
  CHECK(h.calls == std::vector<std::string>{"accept application/json"});
  CHECK(h.body_seen == "{\"text\":\"hi\"}");
}

TEST_CASE("rest_handler: a body over max_body_length is 413 and no acceptor runs") {
  struct small : resource {
    std::size_t max_body_length(rodeo::req&) override { return 4; }
  } h;
  all_methods(h);
  h.accepted = {"*/*"};
  exchange x("PUT", {{"content-type", "text/plain"}}, std::string(10, 'x'));
  auto cmds = x.run(h);
  REQUIRE(cmds.size() == 1);
  CHECK(std::get<rodeo::cmd::reply>(cmds[0]).status == 413);
  CHECK(h.calls.empty());
}

TEST_CASE("rest_handler: a provider can push before the reply (HTTP/2)") {
  resource h;
  h.in_provider = [](rodeo::req& r) { r.push("/app.css"); };
  exchange x("GET");
  auto cmds = x.run(h);
  REQUIRE(cmds.size() == 2);
  CHECK(std::holds_alternative<rodeo::cmd::push>(cmds[0]));
  CHECK(std::get<rodeo::cmd::reply>(cmds[1]).status == 200);
}

TEST_CASE("rest_handler: a callback that replies itself ends the walk") {
  struct own_401 : resource {
    rest::auth_result is_authorized(rodeo::req& r) override {
      r.reply(401, {{"content-type", "text/plain"}}, "sign in\n");
      return rest::auth_result::ok();
    }
  } h;
  exchange x("GET");
  auto cmds = x.run(h);
  REQUIRE(cmds.size() == 1);
  CHECK(std::get<rodeo::cmd::reply>(cmds[0]).body == "sign in\n");
  CHECK(h.calls.empty());
}

TEST_CASE("rest_handler: a malformed Accept is the client's fault (bad_request)") {
  resource h;
  exchange x("GET", {{"accept", "text/html;q=2"}});
  CHECK_THROWS_AS(h.init(*x.r), rodeo::bad_request);
}
