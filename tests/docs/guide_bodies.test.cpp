// The examples of docs/guide.md, "Bodies" and "Server-sent events", compiled and exercised.
// The code between "// guide: NAME begin" and "// guide: NAME end" is a ```cpp block of the
// guide, verbatim up to whitespace: tests/docs/check_guide.py fails when the two drift apart.
#include <doctest/doctest.h>

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "docs/guide_support.hpp"
#include "framework/post_fixture.hpp"
#include "rodeo/body/multipart.hpp"
#include "rodeo/body/urlencoded.hpp"
#include "rodeo/rodeo.hpp"
#include "rodeo/sse.hpp"

using guide::test::response;

namespace guide {

// guide: bodies-form begin
// POST /subscribe: an HTML form (application/x-www-form-urlencoded) with an email field.
struct subscribe_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    rodeo::read_urlencoded_body(
        req,
        [](rodeo::req& r, rodeo::http::qs_pairs form) {  // decoded, in order
          for (const auto& [name, value] : form) {
            if (name != "email") continue;
            r.reply(200, {{"content-type", "text/plain"}}, "subscribed " + value + "\n");
            return;
          }
          throw rodeo::bad_request("the form needs an email field");  // 400
        },
        {.bytes = 4096, .keys = 10});  // more is 413; another content-type 415
    return rodeo::handler_result::ok;  // the actor waits for the body
  }
};
// guide: bodies-form end

// guide: bodies-multipart begin
// POST /photos: files and fields as multipart/form-data. Each part's bytes are counted as
// they arrive (write them to a file instead): nothing is held whole.
struct photos_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    struct upload {
      std::string report;
      std::size_t size = 0;
    };
    auto up = std::make_shared<upload>();
    rodeo::read_multipart(req,
                          {.on_part =
                               [up](rodeo::req&, const rodeo::http::multipart_part& part) {
                                 up->report += part.name + " " + part.filename.value_or("(field)") +
                                               " " + part.content_type;
                                 up->size = 0;
                               },
                           .on_data =
                               [up](rodeo::req&, std::string_view data, bool fin) {
                                 up->size += data.size();
                                 if (fin)
                                   up->report += ": " + std::to_string(up->size) + " bytes\n";
                               },
                           .on_done =
                               [up](rodeo::req& r) {
                                 r.reply(200, {{"content-type", "text/plain"}}, up->report);
                               }},
                          {.parts = 8, .total_bytes = 50 * 1024 * 1024});  // more is 413
    return rodeo::handler_result::ok;
  }
};
// guide: bodies-multipart end

// guide: sse-launch begin
using next_atom = caf::atom_constant<caf::atom("next")>;

// GET /launch: a countdown as server-sent events, one event per tick, then the end.
struct launch_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    // The first call starts the response: 200, text/event-stream, cache-control: no-cache.
    rodeo::stream_events(req, {.retry = std::chrono::seconds(10), .comment = "countdown"});
    return tick(req);
  }

  rodeo::handler_result info(const caf::message&, rodeo::req& req) override { return tick(req); }

 private:
  rodeo::handler_result tick(rodeo::req& req) {
    if (left_ == 0) {
      // Two lines of data: two "data:" lines, one event for the client.
      rodeo::stream_events(req, {.event = "liftoff", .data = "We have\nliftoff"}, true);
      return rodeo::handler_result::ok;
    }
    rodeo::stream_events(req, {.id = std::to_string(left_), .data = std::to_string(left_)});
    --left_;
    req.self()->delayed_send(req.self(), std::chrono::milliseconds(10), next_atom::value);
    return rodeo::handler_result::loop;
  }

  int left_ = 3;
};
// guide: sse-launch end

}  // namespace guide

namespace {

using guide::test::one_route;

// POST `path` with `fields`, the body in two pieces, through the one route; the reply.
response post(const std::string& path, rodeo::route_target target, rodeo::headers fields,
              const std::string& body) {
  auto sys = rodeo::make_actor_system(1);
  auto cmds = rodeo::test::post(*sys, std::move(fields),
                                {body.substr(0, body.size() / 2), body.substr(body.size() / 2)},
                                one_route(path, std::move(target)), path);
  auto* reply = rodeo::test::only_reply(cmds);
  if (!reply) return {0, "not one reply"};
  return {reply->status, std::string{reply->body.view()}};
}

}  // namespace

TEST_CASE("guide bodies-form: read_urlencoded_body") {
  const rodeo::headers form = {{"content-type", "application/x-www-form-urlencoded"}};
  auto subscribe = [&](rodeo::headers fields, std::string body) {
    return post("/subscribe", rodeo::handler<guide::subscribe_h>(), std::move(fields), body);
  };
  CHECK(subscribe(form, "name=Ann&email=ann%40example.org") ==
        response{200, "subscribed ann@example.org\n"});
  CHECK(subscribe(form, "name=Ann") == response{400, "the form needs an email field\n"});
  CHECK(subscribe(form, "email=" + std::string(5000, 'a')).status == 413);
  CHECK(subscribe({{"content-type", "text/plain"}}, "email=a").status == 415);
}

TEST_CASE("guide bodies-multipart: read_multipart") {
  const std::string body =
      "--XX\r\ncontent-disposition: form-data; name=\"title\"\r\n\r\nBeach\r\n"
      "--XX\r\ncontent-disposition: form-data; name=\"photo\"; filename=\"b.jpg\"\r\n"
      "content-type: image/jpeg\r\n\r\n" +
      std::string(3000, '\xff') + "\r\n--XX--\r\n";
  CHECK(post("/photos", rodeo::handler<guide::photos_h>(),
             {{"content-type", "multipart/form-data; boundary=XX"}},
             body) == response{200,
                               "title (field) text/plain: 5 bytes\n"
                               "photo b.jpg image/jpeg: 3000 bytes\n"});
  CHECK(post("/photos", rodeo::handler<guide::photos_h>(),
             {{"content-type", "multipart/form-data; boundary=XX"}}, "--XX\r\n\r\n")
            .status == 400);
}

TEST_CASE("guide sse-launch: stream_events from a loop handler") {
  CHECK(guide::test::run(one_route("/launch", rodeo::handler<guide::launch_h>()), "/launch") ==
        response{200,
                 ": countdown\nretry: 10000\n\n"
                 "id: 3\ndata: 3\n\nid: 2\ndata: 2\n\nid: 1\ndata: 1\n\n"
                 "event: liftoff\ndata: We have\ndata: liftoff\n\n"});
}
