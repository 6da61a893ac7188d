// The example of docs/guide.md, "JSON", compiled and exercised (with RODEO_JSON only). The
// code between "// guide: NAME begin" and "// guide: NAME end" is a ```cpp block of the guide.
#include <doctest/doctest.h>

#include <string>

#include "docs/guide_support.hpp"
#include "framework/post_fixture.hpp"
#include "rodeo/json/json.hpp"
#include "rodeo/rodeo.hpp"

using guide::test::response;

namespace guide {

// guide: bodies-json begin
// POST /users: {"name": "..."} in, {"id": 7, "name": "..."} out. Link rodeo::json.
struct users_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    rodeo::read_json(req, [](rodeo::req& r, nlohmann::json in) {
      if (!in.is_object() || !in.contains("name") || !in["name"].is_string())
        throw rodeo::bad_request("send {\"name\": \"...\"}");  // 400
      rodeo::reply_json(r, 201, {{"id", 7}, {"name", in["name"]}});
    });  // invalid JSON is 400, another content-type 415, over 1 MiB 413
    return rodeo::handler_result::ok;
  }
};
// guide: bodies-json end

}  // namespace guide

TEST_CASE("guide bodies-json: read_json and reply_json") {
  auto users = [](std::string type, std::string body) {
    auto sys = rodeo::make_actor_system(1);
    auto cmds = rodeo::test::post(
        *sys, {{"content-type", std::move(type)}}, {std::move(body)},
        guide::test::one_route("/users", rodeo::handler<guide::users_h>()), "/users");
    auto* reply = rodeo::test::only_reply(cmds);
    return reply ? response{reply->status, std::string{reply->body.view()}}
                 : response{0, "not one reply"};
  };
  CHECK(users("application/json", "{\"name\": \"Ann\"}") ==
        response{201, "{\"id\":7,\"name\":\"Ann\"}"});
  CHECK(users("application/json", "{\"name\": 1}") == response{400, "send {\"name\": \"...\"}\n"});
  CHECK(users("application/json", "{\"name\": ").status == 400);
  CHECK(users("text/plain", "{}").status == 415);
}
