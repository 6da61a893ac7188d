#include "rodeo/internal/stream/early_hints.hpp"

#include <doctest/doctest.h>

#include <caf/event_based_actor.hpp>

#include <string>
#include <variant>
#include <vector>

#include "framework/req_fixture.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/internal/actor/req_access.hpp"
#include "rodeo/mw/handler.hpp"
#include "rodeo/mw/keys.hpp"
#include "rodeo/push_policy.hpp"
#include "rodeo/runtime.hpp"

// Pushes the client cannot take become one `103 Early Hints` per actor turn (RFC 8297),
// on a real req (and a real request actor) whose commands are recorded instead of sent.

using namespace rodeo;

namespace {

// A req on HTTP/2 or HTTP/1.1 whose connection allows pushes (`push_enabled`) or not.
struct hints_fixture : test::req_fixture {
  std::shared_ptr<push_metrics> metrics = std::make_shared<push_metrics>();
  std::shared_ptr<push_state> state;

  explicit hints_fixture(bool push_enabled, push_delivery d = {}, std::string version = "HTTP/2")
      : test::req_fixture("/page") {
    const bool http2 = version == "HTTP/2";
    state = std::make_shared<push_state>(http2, metrics);
    state->set_delivery(d);
    if (http2) state->update_peer(push_enabled, 100);
    auto head = test::make_head("GET", "example.org", "/page");
    head.version = std::move(version);
    req = std::make_unique<rodeo::req>(
        std::move(head), std::make_shared<stream_link>(sink, io, 1, state), "127.0.0.1:1", false);
  }
};

// The `link` values of every 103 among `cmds`, one string per 103; "reply" for a reply.
std::vector<std::string> trace(const std::vector<command>& cmds) {
  std::vector<std::string> out;
  for (const auto& c : cmds) {
    if (const auto* i = std::get_if<cmd::inform>(&c)) {
      REQUIRE(i->status == 103);
      REQUIRE(i->fields.size() == 1);
      CHECK(i->fields[0].first == "link");
      out.push_back(i->fields[0].second);
    } else if (std::get_if<cmd::reply>(&c)) {
      out.push_back("reply");
    } else if (std::get_if<cmd::push>(&c)) {
      out.push_back("push");
    } else {
      out.push_back("other");
    }
  }
  return out;
}

const std::string css = "</s.css>; rel=preload; as=style";
const std::string js = "</a.js>; rel=preload; as=script";
const std::string png = "</i.png>; rel=preload; as=image";

using tick_atom = caf::atom_constant<caf::atom("hinttick")>;

// Pushes two assets in init, a third in a later turn, then replies.
struct two_turns_h : handler_base {
  handler_result init(req& r) override {
    r.push("/s.css");
    r.push("/a.js");
    r.self()->send(r.self(), tick_atom::value);
    return handler_result::loop;
  }
  handler_result info(const caf::message& m, req& r) override {
    if (!m.match_elements<tick_atom>()) return handler_result::loop;
    r.push("/i.png");
    r.reply(200, {}, "page");
    return handler_result::ok;
  }
};

}  // namespace

TEST_CASE("preload as= comes from accept, else from the path's media type") {
  CHECK(preload_destination("/x", {{"accept", "text/css,*/*;q=0.1"}}) == "style");
  CHECK(preload_destination("/x", {{"accept", "application/javascript"}}) == "script");
  CHECK(preload_destination("/x", {{"accept", "image/avif,image/webp"}}) == "image");
  CHECK(preload_destination("/x", {{"accept", "font/woff2"}}) == "font");
  CHECK(preload_destination("/x.css", {{"accept", "*/*"}}) == "style");  // */* tells nothing
  CHECK(preload_destination("/app.mjs", {}) == "script");
  CHECK(preload_destination("/LOGO.PNG", {}) == "image");
  CHECK(preload_destination("/f/x.woff2", {}) == "font");
  CHECK(preload_destination("/data.json", {}) == "fetch");
  CHECK(preload_destination("/v1.2/thing", {}) == "fetch");  // a dot in a directory
  CHECK(preload_destination("/", {}) == "fetch");
  CHECK(preload_link("/f.woff2", "", {}) == "</f.woff2>; rel=preload; as=font; crossorigin");
  CHECK(preload_link("/s.css", "v=2", {}) == "</s.css?v=2>; rel=preload; as=style");
}

TEST_CASE("early_hints: one link field per flush, each link once per request") {
  early_hints h;
  CHECK_FALSE(h.pending());
  CHECK(h.add(css));
  CHECK(h.add(js));
  CHECK_FALSE(h.add(css));
  CHECK(h.take() == headers{{"link", css + ", " + js}});
  CHECK_FALSE(h.pending());
  CHECK(h.take().empty());
  CHECK_FALSE(h.add(js));  // sent already
}

TEST_CASE("a client without push gets the pushes as one 103 before the reply; hinted outcome") {
  hints_fixture f{false};
  auto a = f.req->push("/s.css");
  CHECK(a.hinted);
  CHECK(a.skipped == push_skip::disabled_by_client);
  CHECK(f.req->push("/a.js").hinted);
  CHECK(f.req->push("/s.css").skipped == push_skip::duplicate);  // hinted already
  CHECK(f.sent().empty());  // nothing until the turn ends or the handler replies
  f.req->reply(200, {}, "page");
  CHECK(trace(f.sent()) == std::vector<std::string>{css + ", " + js, "reply"});
  CHECK(f.req->pushes().size() == 3);
  CHECK(f.metrics->requested == 3);
  CHECK(f.metrics->hinted == 2);
  CHECK(f.metrics->skips(push_skip::duplicate) == 1);
  CHECK(f.metrics->skips(push_skip::disabled_by_client) == 0);  // hinted, not skipped
}

TEST_CASE("push policies") {
  SUBCASE("push_or_hint: a client taking pushes gets PUSH_PROMISEs and no 103") {
    hints_fixture f{true};
    CHECK(f.req->push("/s.css").promised());
    f.req->reply(200);
    CHECK(trace(f.sent()) == std::vector<std::string>{"push", "reply"});
  }
  SUBCASE("push_only: no hint for a client without push") {
    hints_fixture f{false, {.policy = push_policy::push_only}};
    auto o = f.req->push("/s.css");
    CHECK_FALSE(o.hinted);
    CHECK(o.skipped == push_skip::disabled_by_client);
    f.req->reply(200);
    CHECK(trace(f.sent()) == std::vector<std::string>{"reply"});
  }
  SUBCASE("hint_only: a hint even for a client taking pushes") {
    hints_fixture f{true, {.policy = push_policy::hint_only}};
    auto o = f.req->push("/s.css");
    CHECK(o.hinted);
    CHECK(o.skipped == push_skip::policy);
    f.req->reply(200);
    CHECK(trace(f.sent()) == std::vector<std::string>{css, "reply"});
  }
  SUBCASE("off: nothing at all, counted as skipped by policy") {
    hints_fixture f{true, {.policy = push_policy::off}};
    auto o = f.req->push("/s.css");
    CHECK_FALSE(o.hinted);
    CHECK(o.skipped == push_skip::policy);
    f.req->reply(200);
    CHECK(trace(f.sent()) == std::vector<std::string>{"reply"});
    CHECK(f.metrics->skips(push_skip::policy) == 1);
  }
  SUBCASE("the route's policy wins over the listener's") {
    hints_fixture f{true, {.policy = push_policy::push_only}};
    req_access::set_push_policy(*f.req, push_policy::hint_only);
    CHECK(f.req->push("/s.css").hinted);
  }
  SUBCASE("HTTP/1.1: no hints unless the listener enables them; never to HTTP/1.0") {
    hints_fixture off{false, {}, "HTTP/1.1"};
    CHECK(off.req->push("/s.css").skipped == push_skip::http1);
    CHECK_FALSE(off.req->pushes()[0].hinted);
    hints_fixture on{false, {.hints_over_http1 = true}, "HTTP/1.1"};
    CHECK(on.req->push("/s.css").hinted);
    on.req->reply(200);
    CHECK(trace(on.sent()) == std::vector<std::string>{css, "reply"});
    hints_fixture old{false, {.hints_over_http1 = true}, "HTTP/1.0"};
    CHECK_FALSE(old.req->push("/s.css").hinted);
  }
}

TEST_CASE("request actor: hints of one turn coalesce into one 103; a later turn sends another") {
  auto sys = make_actor_system(1);
  SUBCASE("a middleware that pushes and never replies: 103, then the default 204") {
    hints_fixture f{false};
    auto cmds = test::run_chain(*sys, f, {make_middleware([](req& r, env&) {
      r.push("/s.css");
      r.push("/a.js");
      return middleware_result::next;
    })});
    CHECK(trace(cmds) == std::vector<std::string>{css + ", " + js, "reply"});
  }
  SUBCASE("a loop handler on a hint_only route: one 103 per turn, each before what follows") {
    hints_fixture f{true};
    auto a = test::start(*sys, f,
                         {make_middleware([](req&, env& e) {
                            e.set(mw::handler_key, handler<two_turns_h>());
                            e.set(push_policy_key, push_policy::hint_only);
                            return middleware_result::next;
                          }),
                          std::make_shared<mw::handler>()});
    REQUIRE(test::wait_ended(*sys, a));
    CHECK(trace(f.sent()) == std::vector<std::string>{css + ", " + js, png, "reply"});
  }
}
