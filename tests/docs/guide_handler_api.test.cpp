// The examples of docs/guide.md about lambda handlers, method dispatch, the per-request store,
// per-route middleware and push behind auth, compiled and exercised. The code between
// "// guide: NAME begin" and "// guide: NAME end" is a ```cpp block of the guide, verbatim up
// to whitespace: tests/docs/check_guide.py fails when the two drift apart.
#include <doctest/doctest.h>

#include <string>

#include "docs/guide_support.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/rodeo.hpp"
#include "rodeo/router/router.hpp"

using guide::test::response;

namespace guide {

// guide: handler-fn begin
// GET /hello/[:name]: a handler as a lambda; returning (void) ends the request.
const rodeo::route_target hello = rodeo::handler_fn([](rodeo::req& req) {
  req.reply(200, {{"content-type", "text/plain"}},
            "Hello " + req.binding("name", "world") + "!\n");  // unbound: the default
});
// in the route table: {"/hello/[:name]", hello}
// guide: handler-fn end

rodeo::middleware_chain methods_chain() {
  // guide: handler-methods begin
  auto list = rodeo::handler_fn([](rodeo::req& req) { req.reply(200, {}, "[]"); });
  // Each method takes a route target, or a lambda directly.
  auto notes = rodeo::methods{.get = list, .post = [](rodeo::req& req) { req.reply(201); }};
  auto routes = rodeo::router::compile({{"_", {{"/notes", notes}}}});
  // PUT /notes: 405 with allow: GET, HEAD, POST. HEAD /notes runs list without the body.
  // OPTIONS /notes: 204 with the same allow.
  // guide: handler-methods end
  REQUIRE(routes);
  return rodeo::mw::default_chain(*routes);
}

// guide: meta-store begin
struct user {
  std::string name;
  bool admin = false;
};

// Finds who is asking; the handler reads it from req.meta().
const rodeo::middleware_ptr bearer_auth = rodeo::make_middleware([](rodeo::req& req, rodeo::env&) {
  auto auth = req.header("authorization");
  if (!auth || *auth != "Bearer let-me-in") {
    req.reply(401, {{"www-authenticate", "Bearer"}});
    return rodeo::middleware_result::stop;
  }
  req.meta().set(user{"ada", true});
  return rodeo::middleware_result::next;
});

const rodeo::route_target whoami = rodeo::handler_fn([](rodeo::req& req) {
  const user* u = req.meta().get<user>();  // null: no middleware set one
  req.reply(200, {}, (u ? u->name : "nobody") + " via " + req.route() + "\n");
});
// guide: meta-store end

rodeo::middleware_chain route_mw_chain() {
  // guide: route-middleware begin
  auto routes = rodeo::router::compile({{"_",
                                         {
                                             rodeo::router::path_rule("/admin/[...]", whoami)
                                                 .use({bearer_auth})  // this route only
                                                 .named("admin"),     // req.route_name()
                                             {"/whoami", whoami},
                                         }}});
  // guide: route-middleware end
  REQUIRE(routes);
  return rodeo::mw::default_chain(*routes);
}

// guide: push-auth begin
// GET /account, behind bearer_auth: pushes its data, behind bearer_auth too. A pushed request
// carries none of the client's fields: without inherit, the push would be answered 401.
const rodeo::route_target account = rodeo::handler_fn([](rodeo::req& req) {
  req.push("/account/data", {{"accept", "application/json"}},
           {.inherit = {"authorization"},  // the pushed request authenticates as the client
            .share_meta = true});          // and starts with a copy of req.meta()
  req.reply(200, {{"content-type", "text/html"}}, "<script src=\"/account/data\"></script>\n");
});
// in the route table:
//   rodeo::router::path_rule("/account", account).use({bearer_auth}),
//   rodeo::router::path_rule("/account/data", account_data).use({bearer_auth}),
// guide: push-auth end

}  // namespace guide

namespace {

using guide::test::call;
using guide::test::one_route;

}  // namespace

TEST_CASE("guide handler-fn: a lambda handler with a binding default") {
  auto chain = one_route("/hello/[:name]", guide::hello);
  CHECK(call(chain, "GET", "/hello") == response{200, "Hello world!\n"});
  CHECK(call(chain, "GET", "/hello/ada") == response{200, "Hello ada!\n"});
}

TEST_CASE("guide handler-methods: GET and POST run, PUT is 405, OPTIONS is 204") {
  auto chain = guide::methods_chain();
  CHECK(call(chain, "GET", "/notes") == response{200, "[]"});
  CHECK(call(chain, "HEAD", "/notes") == response{200, ""});  // HEAD: no body on the wire
  CHECK(call(chain, "POST", "/notes") == response{201, ""});
  CHECK(call(chain, "PUT", "/notes").status == 405);
  CHECK(call(chain, "OPTIONS", "/notes").status == 204);
}

TEST_CASE("guide meta-store and route-middleware: auth on /admin only, the handler sees who") {
  auto chain = guide::route_mw_chain();
  CHECK(call(chain, "GET", "/admin/x").status == 401);
  CHECK(call(chain, "GET", "/admin/x", {{"authorization", "Bearer let-me-in"}}) ==
        response{200, "ada via /admin/[...]\n"});
  CHECK(call(chain, "GET", "/whoami") == response{200, "nobody via /whoami\n"});
}

TEST_CASE("guide push-auth: the page replies (the push is skipped on HTTP/1.1)") {
  auto routes = rodeo::router::compile(
      {{"_", {rodeo::router::path_rule("/account", guide::account).use({guide::bearer_auth})}}});
  REQUIRE(routes);
  auto chain = rodeo::mw::default_chain(*routes);
  CHECK(call(chain, "GET", "/account").status == 401);
  CHECK(call(chain, "GET", "/account", {{"authorization", "Bearer let-me-in"}}).status == 200);
}
