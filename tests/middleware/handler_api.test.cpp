// The handler API around the router: lambda handlers, method dispatch (405 + allow), binding
// defaults, the per-request store, per-route middlewares and the matched route on the req,
// each run through the default chain in a real request actor.
#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "framework/req_fixture.hpp"
#include "rodeo/handler_fn.hpp"
#include "rodeo/meta.hpp"
#include "rodeo/methods.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/req.hpp"
#include "rodeo/router/compile.hpp"
#include "rodeo/runtime.hpp"

using rodeo::test::req_fixture;

namespace {

struct user {
  std::string name;
};

// Answers 401 without `authorization: Bearer <name>`; otherwise stores the user.
const rodeo::middleware_ptr bearer_auth = rodeo::make_middleware([](rodeo::req& r, rodeo::env&) {
  auto h = r.header("authorization");
  if (!h || h->substr(0, 7) != "Bearer ") {
    r.reply(401, {{"www-authenticate", "Bearer"}});
    return rodeo::middleware_result::stop;
  }
  r.meta().set(user{std::string{h->substr(7)}});
  return rodeo::middleware_result::next;
});

const rodeo::route_target echo_route = rodeo::handler_fn([](rodeo::req& r) {
  const user* u = r.meta().get<user>();
  r.reply(200, {}, r.route() + " " + r.route_name() + " " + (u ? u->name : "-"));
});

struct answer {
  int status = 0;
  rodeo::headers fields;
  std::string body;
};

answer run(const rodeo::router::route_table& table, std::string method, std::string target,
           rodeo::headers fields = {}) {
  auto routes = rodeo::router::compile(table);
  REQUIRE_MESSAGE(routes, routes.error());
  req_fixture f{rodeo::test::make_head(std::move(method), "example.org", std::move(target),
                                       std::move(fields))};
  auto sys = rodeo::make_actor_system(1);
  auto cmds = rodeo::test::run_chain(*sys, f, rodeo::mw::default_chain(*routes));
  answer out;
  for (const auto& c : cmds)
    if (auto* r = std::get_if<rodeo::cmd::reply>(&c))
      out = {r->status, r->fields, std::string{r->body.view()}};
    else if (std::holds_alternative<rodeo::cmd::crash>(c))
      out.status = 500;
  return out;
}

std::string field(const answer& a, const std::string& name) {
  for (const auto& [n, v] : a.fields)
    if (n == name) return v;
  return "(absent)";
}

}  // namespace

TEST_CASE("handler_fn: a lambda is a route target; void and handler_result::ok both end it") {
  auto a = run({{"_",
                 {{"/void", rodeo::handler_fn([](rodeo::req& r) { r.reply(200, {}, "v"); })},
                  {"/ok", rodeo::handler_fn([](rodeo::req& r) {
                     r.reply(201, {}, "ok");
                     return rodeo::handler_result::ok;
                   })},
                  {"/silent", rodeo::handler_fn([](rodeo::req&) {})}}}},
               "GET", "/void");
  CHECK((a.status == 200 && a.body == "v"));
  a = run({{"_", {{"/ok", rodeo::handler_fn([](rodeo::req& r) {
                     r.reply(201, {}, "ok");
                     return rodeo::handler_result::ok;
                   })}}}},
          "GET", "/ok");
  CHECK(a.status == 201);
  a = run({{"_", {{"/silent", rodeo::handler_fn([](rodeo::req&) {})}}}}, "GET", "/silent");
  CHECK(a.status == 204);  // nothing replied: the framework's 204
}

TEST_CASE("handler_fn: returning loop is a usage error (a crash: 500)") {
  auto a = run(
      {{"_", {{"/", rodeo::handler_fn([](rodeo::req&) { return rodeo::handler_result::loop; })}}}},
      "GET", "/");
  CHECK(a.status == 500);
}

TEST_CASE("methods: the method's target runs; others get 405 with allow (RFC 9110 §15.5.6)") {
  const rodeo::router::route_table table = {
      {"_",
       {{"/notes", rodeo::methods{.get = rodeo::handler_fn([](rodeo::req& r) {
                                    r.reply(200, {}, "list " + r.method());
                                  }),
                                  // a callable directly: made a handler_fn
                                  .post = [](rodeo::req& r) { r.reply(201, {}, "created"); }}},
        {"/opt", rodeo::methods{.put = rodeo::handler_fn([](rodeo::req& r) { r.reply(200); }),
                                .options = rodeo::handler_fn(
                                    [](rodeo::req& r) { r.reply(200, {}, "mine"); })}}}}};
  auto a = run(table, "GET", "/notes");
  CHECK((a.status == 200 && a.body == "list GET"));
  a = run(table, "POST", "/notes");
  CHECK(a.status == 201);
  // HEAD without a target runs GET (the connection drops the body on the wire).
  a = run(table, "HEAD", "/notes");
  CHECK((a.status == 200 && a.body == "list HEAD"));
  for (const char* m : {"PUT", "DELETE", "PATCH", "BREW"}) {
    CAPTURE(m);
    a = run(table, m, "/notes");
    CHECK(a.status == 405);
    CHECK(field(a, "allow") == "GET, HEAD, POST");
  }
  a = run(table, "OPTIONS", "/notes");
  CHECK(a.status == 204);
  CHECK(field(a, "allow") == "GET, HEAD, POST");
  // Without GET there is no HEAD; a given OPTIONS target runs and is listed.
  a = run(table, "HEAD", "/opt");
  CHECK(a.status == 405);
  CHECK(field(a, "allow") == "PUT, OPTIONS");
  a = run(table, "OPTIONS", "/opt");
  CHECK((a.status == 200 && a.body == "mine"));
}

namespace {
// A loop handler that counts the on_shutdown notices it got.
struct waiting_h : rodeo::handler_base {
  explicit waiting_h(std::shared_ptr<int> told) : told_(std::move(told)) {}
  rodeo::handler_result init(rodeo::req&) override { return rodeo::handler_result::loop; }
  void on_shutdown(rodeo::req&) override { ++*told_; }
  std::shared_ptr<int> told_;
};
}  // namespace

TEST_CASE("methods: the chosen loop handler is told of a graceful stop (on_shutdown)") {
  auto told = std::make_shared<int>(0);
  rodeo::route_target target = rodeo::methods{.get = rodeo::handler<waiting_h>(told)};
  req_fixture f{rodeo::test::make_head("GET", "example.org", "/events")};
  auto h = target->make();
  REQUIRE(h->init(*f.req) == rodeo::handler_result::loop);
  h->on_shutdown(*f.req);
  CHECK(*told == 1);
}

TEST_CASE("methods without any target is a usage error saying what to give") {
  CHECK_THROWS_WITH_AS(rodeo::route_target{rodeo::methods{}},
                       "rodeo::methods has no target: give at least one, as in "
                       "rodeo::methods{.get = rodeo::handler<my_h>()}",
                       rodeo::usage_error);
}

TEST_CASE("req.binding(name, default): the binding when bound, else the default") {
  const auto hello = rodeo::handler_fn([](rodeo::req& r) {
    r.reply(200, {},
            r.binding("name", "world") + " " + std::to_string(r.binding<std::int64_t>("page", 1)));
  });
  const rodeo::router::route_table table = {
      {"_", {{"/hello/[:name/[:page]]", {{"page", rodeo::router::int_c}}, hello}}}};
  CHECK(run(table, "GET", "/hello").body == "world 1");
  CHECK(run(table, "GET", "/hello/ada").body == "ada 1");
  CHECK(run(table, "GET", "/hello/ada/7").body == "ada 7");
}

TEST_CASE("per-route middleware runs for its route only; the handler sees what it stored") {
  const rodeo::router::route_table table = {
      {"_",
       {rodeo::router::path_rule("/admin/[...]", echo_route).use({bearer_auth}).named("admin"),
        {"/public", echo_route}}}};
  auto a = run(table, "GET", "/admin/users");
  CHECK(a.status == 401);
  CHECK(field(a, "www-authenticate") == "Bearer");
  a = run(table, "GET", "/admin/users", {{"authorization", "Bearer ada"}});
  CHECK((a.status == 200 && a.body == "/admin/[...] admin ada"));
  a = run(table, "GET", "/public");
  CHECK((a.status == 200 && a.body == "/public  -"));
}

TEST_CASE("per-route middlewares run in order, after the match, before the handler") {
  auto mark = [](std::string tag) {
    return rodeo::make_middleware([tag](rodeo::req& r, rodeo::env&) {
      const std::string* seen = r.meta().text("order");
      r.meta().set_text("order", (seen ? *seen : "") + tag);
      return rodeo::middleware_result::next;
    });
  };
  const rodeo::router::route_table table = {
      {"_",
       {rodeo::router::path_rule("/:id", rodeo::handler_fn([](rodeo::req& r) {
                                   r.reply(200, {}, *r.meta().text("order") + r.route());
                                 }))
            .use({mark("a"), mark("b")})}}};
  CHECK(run(table, "GET", "/7").body == "ab/:id");
}

TEST_CASE("a null per-route middleware is a compile error naming the route") {
  auto routes = rodeo::router::compile(
      {{"_", {rodeo::router::path_rule("/x", echo_route).use({rodeo::middleware_ptr{}})}}});
  REQUIRE(!routes);
  CHECK(routes.error() == "route \"/x\": a null middleware in its use() list");
}

TEST_CASE("meta: typed values by type, texts by name, copies are independent") {
  rodeo::meta m;
  CHECK(m.empty());
  CHECK(m.get<user>() == nullptr);
  m.set(user{"ada"});
  m.set(42);
  REQUIRE(m.get<user>() != nullptr);
  CHECK(m.get<user>()->name == "ada");
  CHECK(*m.get<int>() == 42);
  CHECK(m.get<long>() == nullptr);  // keyed by the exact type
  m.set_text("tenant", "acme");
  rodeo::meta copy = m;
  m.get<user>()->name = "changed";
  m.erase<int>();
  CHECK(copy.get<user>()->name == "ada");
  CHECK(copy.has<int>());
  CHECK(!m.has<int>());
  CHECK(*copy.text("tenant") == "acme");
  CHECK(copy.text("none") == nullptr);
}
