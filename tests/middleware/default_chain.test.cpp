// The default chain [router, handler] with user middlewares around it.
#include "rodeo/mw/default_chain.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "framework/req_fixture.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/req.hpp"
#include "rodeo/router/compile.hpp"
#include "rodeo/runtime.hpp"

using rodeo::middleware_result;
using rodeo::test::req_fixture;

namespace {

// Replies with its path and path_info: "path=/new/x info=x".
struct where_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& r) override {
    std::string info;
    for (const auto& s : r.path_info()) info += (info.empty() ? "" : "/") + s;
    r.reply(200, {}, "path=" + r.path() + " info=" + info);
    return rodeo::handler_result::ok;
  }
};

// Replies with the item binding, an int.
struct item_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& r) override {
    r.reply(200, {}, "item " + std::to_string(r.binding<std::int64_t>("id") + 1));
    return rodeo::handler_result::ok;
  }
};

rodeo::router::routes routes() {
  auto routes = rodeo::router::compile({
      {"_",
       {
           {"/new/[...]", rodeo::handler<where_h>()},
           {"/items/:id", {{"id", rodeo::router::int_c}}, rodeo::handler<item_h>()},
       }},
  });
  REQUIRE_MESSAGE(routes, routes.error());
  return *routes;
}

// Rewrites "/old/..." to "/new/..." before the router sees the path.
const rodeo::middleware_ptr rewrite = rodeo::make_middleware([](rodeo::req& r, rodeo::env&) {
  if (r.path().rfind("/old/", 0) == 0) r.set_path("/new/" + r.path().substr(5));
  return middleware_result::next;
});

std::string body_of(const std::vector<rodeo::command>& cmds, int status) {
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == status);
  return reply->body;
}

}  // namespace

TEST_CASE("default chain routes to the handler, which sees the bindings") {
  auto sys = rodeo::make_actor_system(1);
  req_fixture f{"/items/41"};
  CHECK(body_of(rodeo::test::run_chain(*sys, f, rodeo::mw::default_chain(routes())), 200) ==
        "item 42");
  req_fixture missing{"/items/forty"};  // the int constraint rejects: no route
  CHECK(body_of(rodeo::test::run_chain(*sys, missing, rodeo::mw::default_chain(routes())), 404)
            .empty());
}

TEST_CASE("default chain after a middleware that rewrites the path before routing") {
  auto sys = rodeo::make_actor_system(1);
  auto chain = rodeo::mw::default_chain(routes());
  chain.insert(chain.begin(), rewrite);
  req_fixture f{"/old/x/y"};
  CHECK(body_of(rodeo::test::run_chain(*sys, f, chain), 200) == "path=/new/x/y info=x/y");
  req_fixture untouched{"/new/z"};
  CHECK(body_of(rodeo::test::run_chain(*sys, untouched, chain), 200) == "path=/new/z info=z");
  req_fixture unknown{"/older/x"};
  CHECK(body_of(rodeo::test::run_chain(*sys, unknown, chain), 404).empty());
}

TEST_CASE("default chain with a middleware between router and handler sees the route") {
  auto sys = rodeo::make_actor_system(1);
  // Per-route policy: item 13 is refused before its handler is even built.
  auto policy = rodeo::make_middleware([](rodeo::req& r, rodeo::env&) {
    if (r.bindings().count("id") && r.binding<std::int64_t>("id") == 13) {
      r.reply(403, {}, "unlucky");
      return middleware_result::stop;
    }
    return middleware_result::next;
  });
  auto chain = rodeo::mw::default_chain(routes());
  chain.insert(chain.begin() + 1, policy);
  req_fixture f{"/items/13"};
  CHECK(body_of(rodeo::test::run_chain(*sys, f, chain), 403) == "unlucky");
  req_fixture ok{"/items/12"};
  CHECK(body_of(rodeo::test::run_chain(*sys, ok, chain), 200) == "item 13");
}
