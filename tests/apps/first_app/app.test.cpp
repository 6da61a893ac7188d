// apps/first_app through the whole stack with rodeo::testing: no listener, no socket.
#include <doctest/doctest.h>

#include <rodeo/testing/client.hpp>

#include "app.hpp"

namespace {

using rodeo::testing::http2;
const rodeo::headers ada = {{"authorization", "Bearer s3cret"}};
const rodeo::headers ada_json = {{"authorization", "Bearer s3cret"},
                                 {"content-type", "application/json"}};

rodeo::testing::client app_client() {
  auto store = std::make_shared<first_app::user_store>();
  store->add("ada", "ada@example.org");
  store->add("grace", "grace@example.org");
  auto opts = first_app::options(store, FIRST_APP_PUBLIC_DIR);
  REQUIRE(opts);
  opts->access_log = false;
  return rodeo::testing::client{std::move(*opts)};
}

nlohmann::json json_of(const rodeo::testing::response& r) {
  CHECK(r.header("content-type") == "application/json");
  return nlohmann::json::parse(r.body);
}

}  // namespace

TEST_CASE("first_app: the page pushes its stylesheet and script over HTTP/2") {
  auto c = app_client();
  auto res = c.get("/", http2);
  CHECK(res.status == 200);
  CHECK(res.header("x-request-id").has_value());
  REQUIRE(res.pushes.size() == 2);
  CHECK(res.pushes[0].path == "/assets/style.css");
  CHECK(res.pushes[0].status == 200);
  CHECK(res.pushes[0].body.starts_with("body {"));
  CHECK(res.pushes[1].path == "/assets/app.js");
  CHECK(res.pushes[1].status == 200);
}

TEST_CASE("first_app: /api/ needs a known bearer token") {
  auto c = app_client();
  auto none = c.get("/api/users");
  CHECK(none.status == 401);
  CHECK(none.header("www-authenticate") == "Bearer realm=\"api\"");
  CHECK(json_of(none)["error"] == "missing or unknown bearer token");
  CHECK(c.request({.path = "/api/users", .headers = {{"authorization", "Bearer nope"}}}).status ==
        401);
  auto ok = c.request({.path = "/api/users", .headers = ada});
  CHECK(ok.status == 200);
  CHECK(json_of(ok).size() == 2);
  // Only the /api/ routes are behind the middleware: the page and its assets are not.
  CHECK(c.get("/").status == 200);
  CHECK(c.get("/assets/app.js").status == 200);
}

TEST_CASE("first_app: a user is created, read and deleted") {
  auto c = app_client();
  auto made = c.request({.method = "POST",
                         .path = "/api/users",
                         .headers = ada_json,
                         .body = R"({"name":"linus","email":"l@example.org"})"},
                        http2);
  CHECK(made.status == 201);
  CHECK(made.header("location") == "/api/users/3");
  CHECK(json_of(made)["name"] == "linus");
  CHECK(json_of(made)["created_by"] == "ada");  // what bearer_auth put in req.meta()
  CHECK(json_of(c.request({.path = "/api/users/3", .headers = ada}))["email"] == "l@example.org");
  CHECK(c.request({.method = "DELETE", .path = "/api/users/3", .headers = ada}).status == 204);
  auto gone = c.request({.path = "/api/users/3", .headers = ada});
  CHECK(gone.status == 404);
  CHECK(json_of(gone)["error"] == "no user 3");
}

TEST_CASE("first_app: bad requests") {
  auto c = app_client();
  auto post = [&](std::string body) {
    return c.request({.method = "POST", .path = "/api/users", .headers = ada_json, .body = body});
  };
  // Every error answers JSON (the listener's error page), the framework's own included.
  auto error_of = [](const rodeo::testing::response& r) { return json_of(r)["error"]; };
  auto not_json = post("not json");
  CHECK(not_json.status == 400);
  CHECK(error_of(not_json).get<std::string>().starts_with("invalid JSON body: "));
  auto no_name = post(R"({"email":"x"})");
  CHECK(no_name.status == 400);
  CHECK(error_of(no_name) == "body must be a JSON object with a string \"name\"");
  CHECK(no_name.header("x-request-id").has_value());
  auto text = c.request({.method = "POST", .path = "/api/users", .headers = ada, .body = "{}"});
  CHECK(text.status == 415);  // no content-type: application/json
  CHECK(error_of(text).is_string());
  auto big = post(std::string(16 * 1024 + 1, ' '));
  CHECK(big.status == 413);
  CHECK(error_of(big).is_string());
  auto abc = c.request({.path = "/api/users/abc", .headers = ada});  // int_c: no route
  CHECK(abc.status == 404);
  CHECK(error_of(abc).is_string());
  auto put = c.request({.method = "PUT", .path = "/api/users", .headers = ada});
  CHECK(put.status == 405);
  CHECK(put.header("allow") == "GET, HEAD, POST");
  CHECK(error_of(put).is_string());
  CHECK(c.request({.method = "POST", .path = "/api/users/1", .headers = ada}).header("allow") ==
        "GET, HEAD, DELETE");
}

TEST_CASE("first_app: server-sent events, then the end of the stream") {
  auto c = app_client();
  auto res = c.request({.path = "/api/events?n=3&every=5", .headers = ada});
  CHECK(res.status == 200);
  CHECK(res.header("content-type") == "text/event-stream");
  CHECK(res.body ==
        "data: {\"left\":2,\"users\":2}\n\n"
        "data: {\"left\":1,\"users\":2}\n\n"
        "data: {\"left\":0,\"users\":2}\n\n");
}

TEST_CASE("first_app: a handler that throws is a 500") {
  auto c = app_client();
  auto boom = c.request({.path = "/api/boom", .headers = ada});
  CHECK(boom.status == 500);
  CHECK(json_of(boom).contains("error"));
  CHECK(boom.header("x-request-id").has_value());  // kept on a crash's 500
}
