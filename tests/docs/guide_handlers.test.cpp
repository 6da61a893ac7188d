// The examples of docs/guide.md, "Handlers", compiled and exercised. The code between
// "// guide: NAME begin" and "// guide: NAME end" is a ```cpp block of the guide, verbatim up
// to whitespace: tests/docs/check_guide.py fails when the two drift apart.
#include <doctest/doctest.h>

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "docs/guide_support.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/mw/keys.hpp"
#include "rodeo/rodeo.hpp"
#include "rodeo/router/router.hpp"

using guide::test::response;

namespace guide {

std::string draw_logo() { return "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"; }

// guide: shared-bytes begin
// GET /logo.svg: the same bytes for every request, made once.
auto logo = std::make_shared<const std::string>(draw_logo());
auto logo_route = rodeo::handler_fn([logo](rodeo::req& req) {
  req.reply(200, {{"content-type", "image/svg+xml"}}, rodeo::body_bytes::share(logo));
});
// guide: shared-bytes end

// guide: handler-options begin
struct greeting_h : rodeo::handler_base {
  explicit greeting_h(std::string greeting) : greeting_(std::move(greeting)) {}

  rodeo::handler_result init(rodeo::req& req) override {
    req.reply(200, {{"content-type", "text/plain"}}, greeting_ + ", " + req.path() + "\n");
    return rodeo::handler_result::ok;
  }

 private:
  std::string greeting_;
};
// in the route table: {"/greet", rodeo::handler<greeting_h>("Howdy")}
// guide: handler-options end

// guide: handler-loop begin
using watch_atom = caf::atom_constant<caf::atom("watch")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

// GET /jobs/:id/wait: long polling. The jobs actor tells us when job :id is done. Route:
//   {"/jobs/:id/wait", {{"id", rodeo::router::int_c}}, rodeo::handler<job_wait_h>(jobs, n)}
// where n, a shared_ptr<std::atomic<int>>, counts the waiting requests.
struct job_wait_h : rodeo::handler_base {
  job_wait_h(caf::actor jobs, std::shared_ptr<std::atomic<int>> waiting)
      : jobs_(std::move(jobs)), waiting_(std::move(waiting)) {}

  rodeo::handler_result init(rodeo::req& req) override {
    ++*waiting_;
    req.self()->send(jobs_, watch_atom::value, req.binding<std::int64_t>("id"),
                     caf::actor_cast<caf::actor>(req.self()));
    return rodeo::handler_result::loop;  // stay alive: messages now go to info
  }

  rodeo::handler_result info(const caf::message& msg, rodeo::req& req) override {
    if (!msg.match_elements<done_atom, std::string>()) return rodeo::handler_result::loop;
    req.reply(200, {{"content-type", "text/plain"}}, msg.get_as<std::string>(1));
    return rodeo::handler_result::ok;
  }

  // Idle time before timeout() runs; its default replies 204 (the client polls again).
  std::chrono::milliseconds loop_timeout() const override { return std::chrono::seconds(20); }

  // Always last: after ok, a crash, the timeout, or the client leaving (reason reset).
  void terminate(rodeo::terminate_reason why, rodeo::req&) override { --*waiting_; }

 private:
  caf::actor jobs_;
  std::shared_ptr<std::atomic<int>> waiting_;
};
// guide: handler-loop end

// guide: handler-loop-jobs begin
// The other side, reduced to its messages: job `ready` is done at once, the others never.
caf::behavior jobs_actor(caf::event_based_actor* self, std::int64_t ready) {
  return {[self, ready](watch_atom, std::int64_t id, const caf::actor& who) {
    if (id == ready) self->send(who, done_atom::value, "job " + std::to_string(id) + " is done\n");
  }};
}
// at start, before the listener: auto jobs = sys->spawn(jobs_actor, std::int64_t{7});
// guide: handler-loop-jobs end

// guide: handler-stream begin
using tick_atom = caf::atom_constant<caf::atom("tick")>;

// GET /countdown: "3\n2\n1\nliftoff\n", a line every `every`, as one streamed response.
struct countdown_h : rodeo::handler_base {
  explicit countdown_h(std::chrono::milliseconds every) : every_(every) {}

  rodeo::handler_result init(rodeo::req& req) override {
    req.stream_reply(200, {{"content-type", "text/plain"}});
    return next(req);
  }

  rodeo::handler_result info(const caf::message& msg, rodeo::req& req) override {
    return msg.match_elements<tick_atom>() ? next(req) : rodeo::handler_result::loop;
  }

 private:
  rodeo::handler_result next(rodeo::req& req) {
    if (left_ == 0) {
      req.stream_body("liftoff\n", true);  // fin: the response is complete
      return rodeo::handler_result::ok;
    }
    req.stream_body(std::to_string(left_--) + "\n");
    req.self()->delayed_send(req.self(), every_, tick_atom::value);  // a timer is a message
    return rodeo::handler_result::loop;
  }

  std::chrono::milliseconds every_;
  int left_ = 3;
};
// guide: handler-stream end

// guide: handler-body begin
// POST /notes: a JSON body of at most 64 KiB, echoed back.
struct notes_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    auto type = req.parse_content_type();  // a malformed one throws bad_request: 400
    if (!type || type->type != "application" || type->subtype != "json")
      throw rodeo::bad_request("POST /notes takes application/json");
    req.read_body(
        [](rodeo::req& r, std::string body) {  // later, once the body is all there
          r.reply(201, {{"content-type", "application/json"}}, std::move(body));
        },
        64 * 1024);                    // more is answered 413
    return rodeo::handler_result::ok;  // not replied yet: the actor waits for the body
  }
};
// guide: handler-body end

// guide: handler-inform begin
struct page_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    // 103 Early Hints (RFC 8297): the client may fetch the style sheet while we work.
    req.inform(103, {{"link", "</style.css>; rel=preload; as=style"}});
    req.reply(200, {{"content-type", "text/html"}}, "<link rel=stylesheet href=/style.css>");
    return rodeo::handler_result::ok;
  }
};
// guide: handler-inform end

// guide: handler-qs begin
// GET /search?q=hats&page=2: page defaults to 1; "?page=two" or no q is a 400.
struct search_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    using rodeo::http::int_c, rodeo::http::nonempty_c;
    auto qs = req.match_qs({{"q", {nonempty_c}}, {"page", {int_c}, std::int64_t{1}}});
    auto q = std::any_cast<std::string>(qs.at("q"));
    auto page = std::any_cast<std::int64_t>(qs.at("page"));
    req.reply(200, {{"content-type", "text/plain"}}, q + ", page " + std::to_string(page));
    return rodeo::handler_result::ok;
  }
};
// guide: handler-qs end

// guide: handler-cookies begin
struct visits_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    int visits = 0;
    for (const auto& [name, value] : req.parse_cookies())
      if (name == "visits") visits = std::atoi(value.c_str());
    req.set_resp_cookie("visits", std::to_string(visits + 1),
                        {.max_age = 86400, .path = "/", .http_only = true, .same_site = "Lax"});
    req.reply(200, {{"content-type", "text/plain"}}, "visit " + std::to_string(visits + 1));
    return rodeo::handler_result::ok;
  }
};
// guide: handler-cookies end

// guide: handler-headers begin
// GET /report: CSV if the client prefers it to JSON; 304 if its copy is current.
struct report_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    const rodeo::http::entity_tag etag{"v42", false};
    if (auto tags = req.parse_if_none_match()) {  // RFC 9110 §13.1.2: weak comparison
      bool current = tags->any;
      for (const auto& t : tags->tags) current = current || rodeo::http::etag_weak_match(t, etag);
      if (current) {
        req.reply(304, {{"etag", rodeo::http::to_string(etag)}});
        return rodeo::handler_result::ok;
      }
    }
    bool csv = false;
    if (auto accept = req.parse_accept()) {  // most preferred first
      for (const auto& m : *accept) {
        if (m.quality == 0) continue;  // q=0: "not this one"
        if (m.type == "text" && (m.subtype == "csv" || m.subtype == "*")) {
          csv = true;
          break;
        }
        if (m.type == "*" || (m.type == "application" && (m.subtype == "json" || m.subtype == "*")))
          break;
      }
    }
    req.reply(200,
              {{"content-type", csv ? "text/csv" : "application/json"},
               {"etag", rodeo::http::to_string(etag)}},
              csv ? "hats,42\n" : "{\"hats\":42}");
    return rodeo::handler_result::ok;
  }
};
// guide: handler-headers end

}  // namespace guide

namespace {

using guide::test::one_route;
using guide::test::run;

}  // namespace

namespace guide {

// guide: error-pages begin
// A JSON API: the framework's own errors (404, 400, 413, 500...) answer JSON too.
std::optional<rodeo::error_body> json_errors(const rodeo::error_info& e) {
  return rodeo::error_body{"application/json", "{\"error\":" + std::to_string(e.status) + "}\n"};
}
// at start: opts.error_page = json_errors;  (listener_options)
// guide: error-pages end

}  // namespace guide

TEST_CASE("guide error-pages: the router's 404 answers JSON through the listener's page") {
  auto routes =
      rodeo::router::compile({{"_", {{"/greet", rodeo::handler<guide::greeting_h>("Hi")}}}});
  REQUIRE(routes);
  rodeo::listener_options opts{.access_log = false, .chain = rodeo::mw::default_chain(*routes)};
  opts.error_page = guide::json_errors;
  rodeo::testing::client c{std::move(opts)};
  auto res = c.get("/nowhere");
  CHECK(res.status == 404);
  CHECK(res.body == "{\"error\":404}\n");
  CHECK(res.header("content-type") == "application/json");
}

TEST_CASE("guide handler-options: a handler gets its route options") {
  auto chain = one_route("/greet", rodeo::handler<guide::greeting_h>("Howdy"));
  CHECK(run(chain, "/greet") == response{200, "Howdy, /greet\n"});
}

TEST_CASE("guide handler-loop: a loop handler answered by another actor, or timing out") {
  auto sys = rodeo::make_actor_system(1);
  auto jobs = sys->spawn(guide::jobs_actor, std::int64_t{7});
  auto waiting = std::make_shared<std::atomic<int>>(0);
  auto routes = rodeo::router::compile({{"_",
                                         {{"/jobs/:id/wait",
                                           {{"id", rodeo::router::int_c}},
                                           rodeo::handler<guide::job_wait_h>(jobs, waiting)}}}});
  REQUIRE(routes);
  rodeo::testing::client c{*sys,
                           {.access_log = false, .chain = rodeo::mw::default_chain(*routes)},
                           {.timeout = std::chrono::milliseconds(300)}};
  // terminate runs once the reply is out: wait for it, boundedly.
  auto settled = [&](int n) {
    for (int i = 0; i < 1000 && *waiting != n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return *waiting == n;
  };
  auto res = c.get("/jobs/7/wait");
  CHECK(res.status == 200);
  CHECK(res.body == "job 7 is done\n");
  CHECK(settled(0));  // terminate ran

  // Job 8 never ends: the client gives up and leaves, the connection sends the request actor
  // an exit, and terminate runs.
  CHECK_THROWS_AS(c.get("/jobs/8/wait"), rodeo::testing::timeout_error);
  CHECK(settled(0));
  caf::anon_send_exit(jobs, caf::exit_reason::user_shutdown);
}

TEST_CASE("guide handler-stream: a streamed response driven by timer messages") {
  auto chain =
      one_route("/countdown", rodeo::handler<guide::countdown_h>(std::chrono::milliseconds(10)));
  CHECK(run(chain, "/countdown") == response{200, "3\n2\n1\nliftoff\n"});
}

TEST_CASE("guide handler-body: read_body, parse_content_type and bad_request") {
  auto chain = one_route("/notes", rodeo::handler<guide::notes_h>());
  rodeo::testing::client c{{.access_log = false, .chain = chain}};
  auto post = [&](rodeo::headers fields, std::string body) {
    auto res = c.request({.method = "POST",
                          .path = "/notes",
                          .headers = std::move(fields),
                          .body = std::move(body)});
    return response{res.status, res.body};
  };
  CHECK(post({{"content-type", "application/json"}}, "{\"a\":1}") == response{201, "{\"a\":1}"});
  CHECK(post({{"content-type", "text/plain"}}, "hello") ==
        response{400, "POST /notes takes application/json\n"});
  CHECK(post({{"content-type", "json"}}, "{}") ==
        response{400, "malformed content-type header \"json\": see RFC 9110 §8.3\n"});
  CHECK(post({{"content-type", "application/json"}}, std::string(64 * 1024 + 1, ' ')).status ==
        413);
}

TEST_CASE("guide handler-inform: 103 before the final response") {
  rodeo::testing::client c{
      {.access_log = false, .chain = one_route("/", rodeo::handler<guide::page_h>())}};
  for (auto p : {rodeo::testing::http1, rodeo::testing::http2}) {
    auto res = c.get("/", p);
    REQUIRE(res.informational.size() == 1);
    CHECK(res.informational[0].status == 103);
    CHECK(res.informational[0].header("link") == "</style.css>; rel=preload; as=style");
    CHECK(res.status == 200);
  }
}

TEST_CASE("guide handler-qs: match_qs with a constraint and a default") {
  auto chain = one_route("/search", rodeo::handler<guide::search_h>());
  CHECK(run(chain, "/search?q=hats&page=2") == response{200, "hats, page 2"});
  CHECK(run(chain, "/search?q=boots") == response{200, "boots, page 1"});
  CHECK(run(chain, "/search?q=hats&page=two") ==
        response{400, "query string field 'page': rejected by constraint 'int'\n"});
  CHECK(run(chain, "/search?q=") ==
        response{400, "query string field 'q': rejected by constraint 'nonempty'\n"});
}

TEST_CASE("guide handler-cookies: parse_cookies and set_resp_cookie") {
  rodeo::testing::client c{
      {.access_log = false, .chain = one_route("/", rodeo::handler<guide::visits_h>())}};
  auto res = c.request({.path = "/", .headers = {{"cookie", "theme=dark; visits=4"}}});
  CHECK(res.body == "visit 5");
  auto cookie = std::string{res.header("set-cookie").value_or("")};
  CHECK(cookie.starts_with("visits=5; Expires="));
  CHECK(cookie.ends_with(" GMT; Max-Age=86400; Path=/; HttpOnly; SameSite=Lax"));
}

TEST_CASE("guide handler-headers: parse_if_none_match and parse_accept") {
  auto chain = one_route("/report", rodeo::handler<guide::report_h>());
  CHECK(run(chain, "/report") == response{200, "{\"hats\":42}"});
  CHECK(run(chain, "/report", "example.org", {{"accept", "text/csv, application/json;q=0.5"}}) ==
        response{200, "hats,42\n"});
  CHECK(run(chain, "/report", "example.org", {{"accept", "application/json, text/csv;q=0.5"}}) ==
        response{200, "{\"hats\":42}"});
  CHECK(run(chain, "/report", "example.org", {{"accept", "text/*, */*;q=0.1"}}) ==
        response{200, "hats,42\n"});
  CHECK(run(chain, "/report", "example.org", {{"accept", "text/csv;q=0"}}) ==
        response{200, "{\"hats\":42}"});
  CHECK(run(chain, "/report", "example.org", {{"if-none-match", "W/\"v42\""}}) ==
        response{304, ""});
  CHECK(run(chain, "/report", "example.org", {{"if-none-match", "\"v41\""}}).status == 200);
  CHECK(run(chain, "/report", "example.org", {{"accept", "text/csv;q=x"}}) ==
        response{400, "malformed accept header \"text/csv;q=x\": see RFC 9110 §12.5.1\n"});
}

TEST_CASE("guide shared-bytes: a shared buffer is the body, over HTTP/1.1 and HTTP/2") {
  auto chain = guide::test::one_route("/logo.svg", guide::logo_route);
  CHECK(run(chain, "/logo.svg") == response{200, guide::draw_logo()});
}
