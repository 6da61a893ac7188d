// The default chain [router, handler] with user middlewares around it, through the whole stack
// (rodeo::testing).
#include "rodeo/mw/default_chain.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "rodeo/handler.hpp"
#include "rodeo/req.hpp"
#include "rodeo/router/compile.hpp"
#include "rodeo/testing/client.hpp"

using rodeo::middleware_result;

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

// GET `path` through `chain`: the body, once the status is checked.
std::string body_of(const rodeo::middleware_chain& chain, std::string path, int status) {
  rodeo::testing::client c{{.access_log = false, .chain = chain}};
  auto res = c.get(std::move(path));
  CHECK(res.status == status);
  return res.body;
}

}  // namespace

TEST_CASE("default chain routes to the handler, which sees the bindings") {
  const auto chain = rodeo::mw::default_chain(routes());
  CHECK(body_of(chain, "/items/41", 200) == "item 42");
  CHECK(body_of(chain, "/items/forty", 404).empty());  // the int constraint rejects: no route
}

TEST_CASE("default chain after a middleware that rewrites the path before routing") {
  auto chain = rodeo::mw::default_chain(routes());
  chain.insert(chain.begin(), rewrite);
  CHECK(body_of(chain, "/old/x/y", 200) == "path=/new/x/y info=x/y");
  CHECK(body_of(chain, "/new/z", 200) == "path=/new/z info=z");
  CHECK(body_of(chain, "/older/x", 404).empty());
}

TEST_CASE("default chain with a middleware between router and handler sees the route") {
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
  CHECK(body_of(chain, "/items/13", 403) == "unlucky");
  CHECK(body_of(chain, "/items/12", 200) == "item 13");
}
