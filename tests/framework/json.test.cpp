// rodeo::json: read_json's answers to the client's faults, and reply_json's response.
#include "rodeo/json/json.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "framework/post_fixture.hpp"
#include "rodeo/runtime.hpp"

using rodeo::test::post;

namespace {

const rodeo::headers json_type = {{"content-type", "application/json; charset=utf-8"}};

// Answers {"got": <the value read>} with 201.
void echo(rodeo::req& r, std::size_t limit = rodeo::default_json_limit) {
  rodeo::read_json(
      r,
      [](rodeo::req& rq, nlohmann::json in) {
        rodeo::reply_json(rq, 201, {{"got", in}});
      },
      limit);
}

}  // namespace

TEST_CASE("read_json and reply_json: a value in, a value out") {
  auto sys = rodeo::make_actor_system(1);
  auto cmds = post(*sys, json_type, {"{\"name\": \"J\\u00e9r", "\\u00f4me\", \"n\": [1, 2]}"},
                   [](rodeo::req& r) { echo(r); });
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 201);
  CHECK(reply->fields == rodeo::headers{{"content-type", "application/json"}});
  CHECK(reply->body == "{\"got\":{\"n\":[1,2],\"name\":\"Jérôme\"}}");

  cmds = post(*sys, {{"content-type", "application/problem+json"}}, {"[]"},
              [](rodeo::req& r) { echo(r); });
  reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->body == "{\"got\":[]}");
}

TEST_CASE("read_json: the client's faults are 415, 413 and 400") {
  auto sys = rodeo::make_actor_system(1);
  rodeo::test::check_faults(
      *sys,
      {
          {{}, {"{}"}, 415, "send application/json"},
          {{{"content-type", "text/json"}}, {"{}"}, 415, "\"text/json\""},
          {json_type, {"[1,", std::string(20, ' '), "2]"}, 413, "too large"},
          {{json_type[0], {"content-length", "30"}}, {"{}"}, 413, "30 bytes: the limit is 16"},
          {json_type, {"{\"a\": }"}, 400, "invalid JSON body: parse error at line 1, column 7"},
          {json_type, {""}, 400, "invalid JSON body"},
          {json_type, {"{} {}"}, 400, "invalid JSON body"},
      },
      [](rodeo::req& r) { echo(r, 16); });
}

TEST_CASE("reply_json keeps a content-type the handler gives") {
  rodeo::test::req_fixture f{"/"};
  rodeo::reply_json(*f.req, 404, {{"error", "no such user"}},
                    {{"content-type", "application/problem+json"}});
  const auto cmds = f.sent();
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 404);
  CHECK(reply->fields == rodeo::headers{{"content-type", "application/problem+json"}});
  CHECK(reply->body == "{\"error\":\"no such user\"}");
}
