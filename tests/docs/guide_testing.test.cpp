// The examples of docs/guide.md, "Testing", compiled and run. The code between
// "// guide: NAME begin" and "// guide: NAME end" is a ```cpp block of the guide, verbatim up
// to whitespace: tests/docs/check_guide.py fails when the two drift apart.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "rodeo/mw/default_chain.hpp"
#include "rodeo/rodeo.hpp"
#include "rodeo/router/router.hpp"
#include "rodeo/testing/client.hpp"

namespace guide {

struct note_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    if (req.method() != "POST") {
      req.reply(405, {{"allow", "POST"}});
      return rodeo::handler_result::ok;
    }
    req.read_body([](rodeo::req& r, std::string body) {
      if (r.header("authorization") != "Bearer s3cret") return r.reply(401);
      r.reply(201, {{"location", "/notes/1"}}, body);
    });
    return rodeo::handler_result::ok;
  }
};

struct board_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.inform(103, {{"link", "</board.css>; rel=preload"}});
    req.push("/board.css");
    req.reply(200, {{"content-type", "text/html"}}, "<h1>Notes</h1>");
    return rodeo::handler_result::ok;
  }
};

struct css_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.reply(200, {{"content-type", "text/css"}}, "h1 { color: teal }");
    return rodeo::handler_result::ok;
  }
};

// guide: testing-client begin
// The options main() gives the listener, made in one place so the tests use them too.
rodeo::listener_options notes_options() {
  auto routes = rodeo::router::compile({{"_",
                                         {
                                             {"/notes", rodeo::handler<note_h>()},
                                             {"/board", rodeo::handler<board_h>()},
                                             {"/board.css", rodeo::handler<css_h>()},
                                         }}});
  return {.access_log = false, .chain = rodeo::mw::default_chain(routes.value())};
}

TEST_CASE("POST /notes creates a note for a known token") {
  rodeo::testing::client c{notes_options()};
  auto created = c.request({.method = "POST",
                            .path = "/notes",
                            .headers = {{"authorization", "Bearer s3cret"}},
                            .body = "buy milk"});
  CHECK(created.status == 201);
  CHECK(created.header("location") == "/notes/1");
  CHECK(created.body == "buy milk");

  CHECK(c.request({.method = "POST", .path = "/notes", .body = "x"}).status == 401);
  CHECK(c.get("/notes").header("allow") == "POST");
}

TEST_CASE("GET /board hints and pushes its stylesheet over HTTP/2") {
  rodeo::testing::client c{notes_options()};
  auto res = c.get("/board", rodeo::testing::http2);
  CHECK(res.status == 200);
  REQUIRE(res.informational.size() == 1);
  CHECK(res.informational[0].status == 103);
  REQUIRE(res.pushes.size() == 1);
  CHECK(res.pushes[0].path == "/board.css");
  CHECK(res.pushes[0].status == 200);
  CHECK(res.pushes[0].body == "h1 { color: teal }");
}
// guide: testing-client end

// guide: testing-timeout begin
struct forgetful_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req&) override {
    return rodeo::handler_result::loop;  // waits for a message that never comes
  }
};

TEST_CASE("a handler that never replies fails the test, it does not hang it") {
  auto routes = rodeo::router::compile({{"_", {{"/stuck", rodeo::handler<forgetful_h>()}}}});
  rodeo::testing::client c{{.access_log = false, .chain = rodeo::mw::default_chain(*routes)},
                           {.timeout = std::chrono::milliseconds(200)}};
  CHECK_THROWS_AS(c.get("/stuck"), rodeo::testing::timeout_error);
}
// guide: testing-timeout end

}  // namespace guide
