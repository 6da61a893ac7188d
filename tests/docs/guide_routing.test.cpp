// The examples of docs/guide.md, "Routing and middleware", compiled and exercised. The code
// between "// guide: NAME begin" and "// guide: NAME end" is a ```cpp block of the guide,
// verbatim up to whitespace: tests/docs/check_guide.py fails when the two drift apart.
#include <doctest/doctest.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "docs/guide_support.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/rodeo.hpp"
#include "rodeo/router/router.hpp"

using guide::test::named_h;
using guide::test::response;

namespace guide {

using home_h = named_h<"home">;
using prices_h = named_h<"prices">;
using hat_list_h = named_h<"hat_list">;
using latest_h = named_h<"latest">;
using same_h = named_h<"same">;
using files_h = named_h<"files">;
using fallback_h = named_h<"fallback">;
using user_h = named_h<"user">;
using tenant_home_h = named_h<"tenant_home">;
using tenant_admin_h = named_h<"tenant_admin">;
using admin_h = named_h<"admin">;

// guide: handler-hat begin
struct hat_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    auto name = req.binding<std::string>("name");
    req.reply(200, {{"content-type", "text/plain"}}, "A fine " + name + " hat.\n");
    return rodeo::handler_result::ok;
  }
};
// guide: handler-hat end

// guide: routes-table begin
rodeo::result<rodeo::router::routes> hat_routes() {
  return rodeo::router::compile({
      {"_",
       {
           // any host
           {"/", rodeo::handler<home_h>()},
           {"/hats/:name", rodeo::handler<hat_h>()},
           {"/hats/:name/prices", rodeo::handler<prices_h>()},
       }},
  });
}

int main() {
  auto routes = hat_routes();
  if (!routes) {
    std::fprintf(stderr, "invalid routes: %s\n", routes.error().c_str());
    return 2;
  }
  return rodeo::serve({.port = 8080, .chain = rodeo::mw::default_chain(*routes)});
}
// guide: routes-table end

// guide: routes-match begin
TEST_CASE("hat routes") {
  auto routes = hat_routes();
  REQUIRE(routes);
  auto m = rodeo::router::match(*routes, "example.org", "/hats/fedora/prices");
  REQUIRE(m);
  CHECK(m.bindings.at("name").text() == "fedora");
  CHECK(rodeo::router::match(*routes, "example.org", "/shoes").status ==
        rodeo::router::match_status::no_path);  // answered 404
}
// guide: routes-match end

rodeo::result<rodeo::router::routes> pattern_routes() {
  // guide: routes-patterns begin
  auto routes = rodeo::router::compile({
      {"_",
       {
           {"/hats/[page/:number]", rodeo::handler<hat_list_h>()},  // /hats, /hats/page/2
           {"/files/:_/latest", rodeo::handler<latest_h>()},        // any one segment, unbound
           {"/same/:x/:x", rodeo::handler<same_h>()},               // two equal segments
           {"/static/[...]", rodeo::handler<files_h>()},            // the rest: path_info
           {"_", rodeo::handler<fallback_h>()},                     // every other path
       }},
  });
  // guide: routes-patterns end
  return routes;
}

rodeo::result<rodeo::router::routes> host_routes() {
  // guide: routes-hosts begin
  auto routes = rodeo::router::compile({
      {"api.example.org",
       {
           // tried first
           {"/v1/users/:id", rodeo::handler<user_h>()},
       }},
      {":tenant.example.org",
       {
           // one label before example.org
           {"/", rodeo::handler<tenant_home_h>()},
           {"/admin/:tenant", rodeo::handler<tenant_admin_h>()},  // the host's :tenant
       }},
      {"[...].example.com",
       {
           // any labels before example.com: host_info
           {"/static/[...]", rodeo::handler<files_h>()},
       }},
  });
  // guide: routes-hosts end
  return routes;
}

// guide: constraint-rgb begin
struct rgb {
  unsigned r, g, b;
};

// "ff8800" -> {255, 136, 0}; anything else rejects the route.
std::optional<rgb> parse_rgb(std::string_view s) {
  if (s.size() != 6) return std::nullopt;
  unsigned v[3];
  for (int i = 0; i < 3; ++i) {
    const char* first = s.data() + 2 * i;
    auto [end, ec] = std::from_chars(first, first + 2, v[i], 16);
    if (ec != std::errc{} || end != first + 2) return std::nullopt;
  }
  return rgb{v[0], v[1], v[2]};
}

struct color_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    auto c = req.binding<rgb>("rgb");  // what parse_rgb returned
    req.reply(200, {}, std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b));
    return rodeo::handler_result::ok;
  }
};
// guide: constraint-rgb end

struct hat_by_id_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.reply(200, {}, "hat " + std::to_string(req.binding<std::int64_t>("id") + 1));
    return rodeo::handler_result::ok;
  }
};

rodeo::result<rodeo::router::routes> constrained_routes() {
  // guide: routes-constraints begin
  auto lowercase = [](std::string_view s) {
    return std::none_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  };
  auto routes = rodeo::router::compile({
      {"_",
       {
           {"/hats/:id", {{"id", rodeo::router::int_c}}, rodeo::handler<hat_by_id_h>()},
           {"/users/:name",
            {{"name", {rodeo::router::nonempty_c, lowercase}}},
            rodeo::handler<user_h>()},
           {"/colors/:rgb", {{"rgb", &parse_rgb}}, rodeo::handler<color_h>()},
       }},
  });
  // guide: routes-constraints end
  return routes;
}

rodeo::result<rodeo::router::routes> bad_routes() {
  // guide: routes-errors begin
  auto bad = rodeo::router::compile({{"_", {{"/hats/[:name", rodeo::handler<hat_h>()}}}});
  // bad.error() == "route \"/hats/[:name\": unclosed '['"
  // guide: routes-errors end
  return bad;
}

// guide: middleware-rewrite begin
rodeo::middleware_chain with_rewrite(const rodeo::router::routes& routes) {
  // Pages moved from /old/... to /new/...: rewrite before the router sees the path.
  auto rewrite = rodeo::make_middleware([](rodeo::req& req, rodeo::env&) {
    if (req.path().starts_with("/old/")) req.set_path("/new/" + req.path().substr(5));
    return rodeo::middleware_result::next;
  });
  auto chain = rodeo::mw::default_chain(routes);  // [router, handler]
  chain.insert(chain.begin(), rewrite);           // [rewrite, router, handler]
  return chain;
}
// guide: middleware-rewrite end

// guide: middleware-auth begin
inline const rodeo::env_key<std::string> user_key{"user"};

// Before the router: no known x-api-key, no entry. Sets user_key for later middlewares.
class api_key final : public rodeo::middleware {
 public:
  explicit api_key(std::map<std::string, std::string, std::less<>> users)
      : users_(std::move(users)) {}

  rodeo::middleware_result execute(rodeo::req& req, rodeo::env& env) const override {
    auto key = req.header("x-api-key");
    auto user = key ? users_.find(*key) : users_.end();
    if (user == users_.end()) {
      req.reply(401, {{"content-type", "text/plain"}}, "send an x-api-key header\n");
      return rodeo::middleware_result::stop;  // the router and the handler never run
    }
    env.set(user_key, user->second);
    return rodeo::middleware_result::next;
  }

 private:
  // Read by every request actor at once: never written after construction.
  const std::map<std::string, std::string, std::less<>> users_;
};
// guide: middleware-auth end

rodeo::middleware_chain guarded_chain(const rodeo::router::routes& routes) {
  // guide: middleware-policy begin
  // After the router: /admin/... is for ada only.
  auto admin_only = rodeo::make_middleware([](rodeo::req& req, rodeo::env& env) {
    if (req.path().starts_with("/admin/") && env.at(user_key) != "ada") {
      req.reply(403);
      return rodeo::middleware_result::stop;
    }
    return rodeo::middleware_result::next;
  });
  std::map<std::string, std::string, std::less<>> users = {{"k-ada", "ada"}, {"k-bob", "bob"}};
  auto chain = rodeo::mw::default_chain(routes);                  // [router, handler]
  chain.insert(chain.begin() + 1, admin_only);                    // [router, admin_only, handler]
  chain.insert(chain.begin(), std::make_shared<api_key>(users));  // [api_key, router, ...]
  // guide: middleware-policy end
  return chain;
}

}  // namespace guide

namespace {

using guide::test::run;

}  // namespace

TEST_CASE("guide routes-table: the hat handler answers its binding") {
  auto routes = guide::hat_routes();
  REQUIRE(routes);
  auto chain = rodeo::mw::default_chain(*routes);
  CHECK(run(chain, "/hats/fedora") == response{200, "A fine fedora hat.\n"});
  CHECK(run(chain, "/hats/fedora/prices") == response{200, "prices name=fedora"});
  CHECK(run(chain, "/") == response{200, "home"});
  CHECK(run(chain, "/shoes") == response{404, ""});
}

TEST_CASE("guide routes-patterns: optional segments, any segment, path_info, catch-all") {
  auto routes = guide::pattern_routes();
  REQUIRE(routes);
  auto chain = rodeo::mw::default_chain(*routes);
  CHECK(run(chain, "/hats") == response{200, "hat_list"});
  CHECK(run(chain, "/hats/page/2") == response{200, "hat_list number=2"});
  CHECK(run(chain, "/files/report/latest") == response{200, "latest"});
  CHECK(run(chain, "/same/a/a") == response{200, "same x=a"});
  CHECK(run(chain, "/same/a/b") == response{200, "fallback"});
  CHECK(run(chain, "/static/css/site.css") == response{200, "files path_info=css/site.css"});
  CHECK(run(chain, "/static") == response{200, "files"});
  CHECK(run(chain, "/anything/else") == response{200, "fallback"});
}

TEST_CASE("guide routes-hosts: host rules in order, host bindings, host_info, 400 and 404") {
  auto routes = guide::host_routes();
  REQUIRE(routes);
  auto chain = rodeo::mw::default_chain(*routes);
  CHECK(run(chain, "/v1/users/7", "api.example.org") == response{200, "user id=7"});
  // api.example.org also fits ":tenant.example.org", but the first host rule owns it.
  CHECK(run(chain, "/", "api.example.org") == response{404, ""});
  CHECK(run(chain, "/", "acme.example.org") == response{200, "tenant_home tenant=acme"});
  CHECK(run(chain, "/admin/acme", "acme.example.org") == response{200, "tenant_admin tenant=acme"});
  CHECK(run(chain, "/admin/other", "acme.example.org") == response{404, ""});
  CHECK(run(chain, "/static/css/site.css", "cdn.eu.example.com") ==
        response{200, "files host_info=cdn.eu path_info=css/site.css"});
  CHECK(run(chain, "/", "example.net") == response{400, ""});
}

TEST_CASE("guide routes-constraints: int, nonempty, a callable, a converting callable") {
  auto routes = guide::constrained_routes();
  REQUIRE(routes);
  auto chain = rodeo::mw::default_chain(*routes);
  CHECK(run(chain, "/hats/41") == response{200, "hat 42"});
  CHECK(run(chain, "/hats/forty") == response{404, ""});
  CHECK(run(chain, "/users/ada") == response{200, "user name=ada"});
  CHECK(run(chain, "/users/Ada") == response{404, ""});
  CHECK(run(chain, "/colors/ff8800") == response{200, "255,136,0"});
  CHECK(run(chain, "/colors/-f8800") == response{404, ""});
  CHECK(run(chain, "/colors/red") == response{404, ""});
}

TEST_CASE("guide routes-errors: a bad pattern is one clear line") {
  auto bad = guide::bad_routes();
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == "route \"/hats/[:name\": unclosed '['");
}

TEST_CASE("guide middleware-rewrite: the router sees the rewritten path") {
  auto routes = rodeo::router::compile({{"_", {{"/new/[...]", rodeo::handler<guide::files_h>()}}}});
  REQUIRE(routes);
  auto chain = guide::with_rewrite(*routes);
  CHECK(run(chain, "/old/a/b") == response{200, "files path_info=a/b"});
  CHECK(run(chain, "/new/c") == response{200, "files path_info=c"});
  CHECK(run(chain, "/older") == response{404, ""});
}

TEST_CASE("guide middleware-auth and middleware-policy: stop, env keys, per-route policy") {
  auto routes = rodeo::router::compile({{"_",
                                         {
                                             {"/admin/[...]", rodeo::handler<guide::admin_h>()},
                                             {"/hats/:name", rodeo::handler<guide::hat_h>()},
                                         }}});
  REQUIRE(routes);
  auto chain = guide::guarded_chain(*routes);
  CHECK(run(chain, "/hats/stetson") == response{401, "send an x-api-key header\n"});
  CHECK(run(chain, "/hats/stetson", "example.org", {{"x-api-key", "nope"}}) ==
        response{401, "send an x-api-key header\n"});
  CHECK(run(chain, "/hats/stetson", "example.org", {{"x-api-key", "k-bob"}}) ==
        response{200, "A fine stetson hat.\n"});
  CHECK(run(chain, "/admin/users", "example.org", {{"x-api-key", "k-bob"}}) == response{403, ""});
  CHECK(run(chain, "/admin/users", "example.org", {{"x-api-key", "k-ada"}}) ==
        response{200, "admin path_info=users"});
  CHECK(run(chain, "/nowhere", "example.org", {{"x-api-key", "k-ada"}}) == response{404, ""});
}
