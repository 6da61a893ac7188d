// The body readers of rodeo/body over a real req in a real request actor: the body arrives as
// the connection sends it (body messages), and the client's faults become 4xx responses.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "framework/post_fixture.hpp"
#include "rodeo/body/multipart.hpp"
#include "rodeo/body/urlencoded.hpp"
#include "rodeo/runtime.hpp"

using rodeo::test::post;

namespace {

const rodeo::headers form_type = {{"content-type", "application/x-www-form-urlencoded"}};

// A handler that answers the decoded pairs as "name=value;" lines.
void echo_form(rodeo::req& r, rodeo::urlencoded_limits limits = {}) {
  rodeo::read_urlencoded_body(
      r,
      [](rodeo::req& rq, rodeo::http::qs_pairs pairs) {
        std::string out;
        for (const auto& [n, v] : pairs) out += n + "=" + v + ";";
        rq.reply(200, {}, out);
      },
      limits);
}

}  // namespace

TEST_CASE("read_urlencoded_body: decoded pairs, the body in pieces") {
  auto sys = rodeo::make_actor_system(1);
  auto cmds = post(*sys, form_type, {"a=1&na", "me=J%C3%A9r%C3%B4me+D&empty"},
                   [](rodeo::req& r) { echo_form(r); });
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 200);
  CHECK(reply->body == "a=1;name=Jérôme D;empty=;");
}

TEST_CASE("read_urlencoded_body: the client's faults are 415, 413 and 400") {
  auto sys = rodeo::make_actor_system(1);
  rodeo::test::check_faults(
      *sys,
      {
          {{}, {"a=1"}, 415, "send application/x-www-form-urlencoded"},
          {{{"content-type", "text/plain"}}, {"a=1"}, 415, "\"text/plain\""},
          {form_type, {"a=1&", "b=", std::string(20, 'x')}, 413, "too large"},
          {{form_type[0], {"content-length", "21"}}, {"a=1"}, 413, "21 bytes: the limit is 20"},
          {form_type, {"a&b&c&d"}, 413, "4 fields: the limit is 3"},
          {form_type, {"a=%zz"}, 400, "invalid urlencoded body"},
          {form_type, {"=v"}, 400, "empty name"},
      },
      [](rodeo::req& r) { echo_form(r, {.bytes = 20, .keys = 3}); });
}

namespace {

const rodeo::headers multipart_type = {{"content-type", "multipart/form-data; boundary=b0"}};

const std::string upload =
    "--b0\r\ncontent-disposition: form-data; name=\"who\"\r\n\r\nme\r\n"
    "--b0\r\ncontent-disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n"
    "content-type: application/octet-stream\r\n\r\n0123456789\r\n--b0--\r\n";

// Answers one line per part: name, filename, type, data size and the pieces it came in.
void list_parts(rodeo::req& r, rodeo::http::multipart_limits limits = {}) {
  auto out = std::make_shared<std::string>();
  rodeo::read_multipart(
      r,
      {.on_part =
           [out](rodeo::req&, const rodeo::http::multipart_part& p) {
             *out += p.name + " " + p.filename.value_or("-") + " " + p.content_type + " ";
           },
       .on_data = [out](rodeo::req&, std::string_view data,
                        bool fin) { *out += std::string{data} + (fin ? "|\n" : ""); },
       .on_done = [out](rodeo::req& rq) { rq.reply(200, {}, *out); }},
      limits);
}

}  // namespace

TEST_CASE("read_multipart: parts and their data, whatever pieces the body comes in") {
  auto sys = rodeo::make_actor_system(1);
  const std::string expected =
      "who - text/plain me|\nf x.bin application/octet-stream 0123456789|\n";
  for (std::size_t cut : {std::size_t{0}, std::size_t{7}, std::size_t{60}, upload.size() - 3}) {
    CAPTURE(cut);
    auto cmds = post(*sys, multipart_type, {upload.substr(0, cut), upload.substr(cut)},
                     [](rodeo::req& r) { list_parts(r); });
    auto* reply = rodeo::test::only_reply(cmds);
    REQUIRE(reply != nullptr);
    CHECK(reply->status == 200);
    CHECK(reply->body == expected);
  }
}

TEST_CASE("read_multipart: the client's faults are 415, 413 and 400") {
  auto sys = rodeo::make_actor_system(1);
  struct row {
    rodeo::headers fields;
    std::string body;
    rodeo::http::multipart_limits limits;
    int status;
    std::string says;
  };
  const std::vector<row> rows = {
      {form_type, upload, {}, 415, "send multipart/form-data"},
      {{{"content-type", "multipart/form-data"}}, upload, {}, 400, "boundary"},
      {multipart_type, upload, {.parts = 1}, 413, "more than 1 parts"},
      {multipart_type, upload, {.header_bytes = 50}, 413, "header block"},
      {multipart_type, upload, {.total_bytes = 100}, 413, "larger than 100 bytes"},
      {{multipart_type[0], {"content-length", "101"}}, "", {.total_bytes = 100}, 413, "101 bytes"},
      {multipart_type, "--b0\r\n\r\nx\r\n--b0--", {}, 400, "Content-Disposition"},
      {multipart_type, upload.substr(0, 70), {}, 400, "ends inside"},
  };
  for (const auto& [fields, body, limits, status, says] : rows) {
    CAPTURE(says);
    auto cmds =
        post(*sys, fields, {body}, [limits = limits](rodeo::req& r) { list_parts(r, limits); });
    auto* reply = rodeo::test::only_reply(cmds);
    REQUIRE(reply != nullptr);
    CHECK(reply->status == status);
    CHECK(reply->body.view().find(says) != std::string::npos);
  }
}
