// Error pages: the listener's hook and the request's own render the framework's 4xx/5xx
// bodies (router 404, bad_request 400, read_body 413, a crash's 500); headers middlewares set
// survive on them.
#include "rodeo/error_page.hpp"

#include <doctest/doctest.h>

#include <string>
#include <variant>
#include <vector>

#include "framework/req_fixture.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/req.hpp"
#include "rodeo/router/compile.hpp"
#include "rodeo/runtime.hpp"

using rodeo::middleware_result;
using rodeo::test::req_fixture;

namespace {

// A JSON API's page: {"status":N,"path":"..."}.
std::optional<rodeo::error_body> json_page(const rodeo::error_info& e) {
  return rodeo::error_body{"application/json", "{\"status\":" + std::to_string(e.status) +
                                                   ",\"path\":\"" + std::string{e.path} + "\"}"};
}

rodeo::middleware_ptr request_id() {
  return rodeo::make_middleware("request_id", [](rodeo::req& r, rodeo::env&) {
    r.set_resp_header("x-request-id", "r1");
    return middleware_result::next;
  });
}

struct crash_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req&) override { throw std::runtime_error("boom"); }
};
struct bad_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req&) override { throw rodeo::bad_request("bad 'q'"); }
};
struct big_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& r) override {
    r.read_body([](rodeo::req& q, std::string) { q.reply(200); }, 4);
    return rodeo::handler_result::ok;
  }
};

rodeo::middleware_chain api_chain() {
  auto routes = rodeo::router::compile({{"_",
                                         {{"/crash", rodeo::handler<crash_h>()},
                                          {"/bad", rodeo::handler<bad_h>()},
                                          {"/big", rodeo::handler<big_h>()}}}});
  REQUIRE(routes);
  auto chain = rodeo::mw::default_chain(*routes);
  chain.insert(chain.begin(), request_id());
  return chain;
}

const std::string* field(const rodeo::headers& fs, std::string_view name) {
  for (const auto& [n, v] : fs)
    if (n == name) return &v;
  return nullptr;
}

// Runs GET `path` through the API chain with the JSON page; checks the rendered error.
void check_json_error(const std::string& path, int status) {
  auto sys = rodeo::make_actor_system(1);
  req_fixture f{path};
  auto cmds = rodeo::test::run_chain(*sys, f, api_chain(), json_page);
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == status);
  CHECK(reply->body == "{\"status\":" + std::to_string(status) + ",\"path\":\"" + path + "\"}");
  REQUIRE(field(reply->fields, "content-type"));
  CHECK(*field(reply->fields, "content-type") == "application/json");
  REQUIRE(field(reply->fields, "x-request-id"));
  CHECK(*field(reply->fields, "x-request-id") == "r1");
}

}  // namespace

TEST_CASE("error page: the router's 404 is rendered by the listener's page, headers kept") {
  check_json_error("/nowhere", 404);
}

TEST_CASE("error page: a bad_request's 400 is rendered, and without a page it is text") {
  check_json_error("/bad", 400);
  auto sys = rodeo::make_actor_system(1);
  {
    req_fixture f{"/bad"};
    auto cmds = rodeo::test::run_chain(*sys, f, api_chain());
    auto* reply = rodeo::test::only_reply(cmds);
    REQUIRE(reply != nullptr);
    CHECK(reply->body == "bad 'q'\n");
    CHECK(*field(reply->fields, "content-type") == "text/plain");
  }
}

TEST_CASE("error page: a crash's 500 carries the middlewares' headers and the page") {
  auto sys = rodeo::make_actor_system(1);
  req_fixture f{"/crash"};
  auto cmds = rodeo::test::run_chain(*sys, f, api_chain(), json_page);
  REQUIRE(cmds.size() == 1);
  auto* crash = std::get_if<rodeo::cmd::crash>(&cmds[0]);
  REQUIRE(crash != nullptr);
  CHECK(crash->body == R"({"status":500,"path":"/crash"})");
  REQUIRE(field(crash->fields, "x-request-id"));
  CHECK(*field(crash->fields, "content-type") == "application/json");
}

TEST_CASE("error page: read_body's 413 is rendered") {
  auto sys = rodeo::make_actor_system(1);
  auto head = rodeo::test::make_head("POST", "example.org", "/big");
  head.has_body = true;
  req_fixture f{std::move(head)};
  auto a = rodeo::test::start(*sys, f, api_chain(), json_page);
  caf::anon_send(a, rodeo::body_atom::value, std::string{"0123456789"}, true);
  REQUIRE(rodeo::test::wait_ended(*sys, a));
  auto sent = f.sent();
  auto* reply = rodeo::test::only_reply(sent);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 413);
  CHECK(reply->body == R"({"status":413,"path":"/big"})");
}

TEST_CASE(
    "error page: the request's own page comes first; a page that declines or throws "
    "leaves the framework's body") {
  auto sys = rodeo::make_actor_system(1);
  auto html = rodeo::make_middleware([](rodeo::req& r, rodeo::env&) {
    r.set_error_page([](const rodeo::error_info& e) -> std::optional<rodeo::error_body> {
      if (e.status == 404) return rodeo::error_body{"text/html", "<h1>gone</h1>"};
      if (e.status == 400) throw std::runtime_error("page bug");
      return std::nullopt;
    });
    return middleware_result::next;
  });
  auto chain = api_chain();
  chain.insert(chain.begin(), html);
  {
    req_fixture f{"/nowhere"};
    auto cmds = rodeo::test::run_chain(*sys, f, chain, json_page);
    auto* reply = rodeo::test::only_reply(cmds);
    REQUIRE(reply != nullptr);
    CHECK(reply->body == "<h1>gone</h1>");
  }
  {
    req_fixture f{"/bad"};  // the request's page throws: the listener's is asked next
    auto cmds = rodeo::test::run_chain(*sys, f, chain, json_page);
    auto* reply = rodeo::test::only_reply(cmds);
    REQUIRE(reply != nullptr);
    CHECK(reply->body == R"({"status":400,"path":"/bad"})");
  }
}

TEST_CASE("error page: req.reply_error adds the fields given, as for a 405") {
  auto sys = rodeo::make_actor_system(1);
  auto deny = rodeo::make_middleware([](rodeo::req& r, rodeo::env&) {
    r.reply_error(405, {{"allow", "GET, HEAD"}}, "Method Not Allowed\n");
    return middleware_result::stop;
  });
  req_fixture f{"/"};
  auto cmds = rodeo::test::run_chain(*sys, f, {deny}, json_page);
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 405);
  CHECK(*field(reply->fields, "allow") == "GET, HEAD");
  CHECK(reply->body == R"({"status":405,"path":"/"})");
}
