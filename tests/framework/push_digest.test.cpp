#include "rodeo/internal/stream/push_digest.hpp"

#include <doctest/doctest.h>

#include "req_fixture.hpp"

// Cache-aware push: the pushed-resources digest cookie, read and written by req.push and the
// reply, and the off switch.

using namespace rodeo;

namespace {

// An HTTP/2 request for /page with `fields`, its pushes decided by a fresh push_state.
struct visit {
  std::shared_ptr<asio::io_context> io = std::make_shared<asio::io_context>();
  std::shared_ptr<test::recording_sink> sink = std::make_shared<test::recording_sink>();
  std::shared_ptr<push_metrics> metrics = std::make_shared<push_metrics>();
  std::shared_ptr<push_state> state = std::make_shared<push_state>(true, metrics);
  std::unique_ptr<req> r;

  explicit visit(headers fields = {}, bool digest = true) {
    state->set_cache_digest(digest);
    auto head = test::make_head("GET", "example.org", "/page", std::move(fields));
    head.version = "HTTP/2";
    r = std::make_unique<req>(std::move(head), std::make_shared<stream_link>(sink, io, 1, state),
                              "127.0.0.1:1", false);
  }
  // The set-cookie value of the reply, "" when none.
  std::string reply_cookie() {
    r->reply(200, {{"content-type", "text/html"}}, "page");
    io->restart();
    io->poll();
    for (auto& c : sink->got)
      if (auto* rep = std::get_if<cmd::reply>(&c))
        for (const auto& [n, v] : rep->fields)
          if (n == "set-cookie") return v;
    return "";
  }
};

// "rodeo_pushed=VALUE; Path=/..." -> the cookie field a client sends back.
headers cookie_field(const std::string& set_cookie) {
  return {{"cookie", "a=1; " + set_cookie.substr(0, set_cookie.find(';'))}};
}

}  // namespace

TEST_CASE("push_digest: a response that pushed sets the cookie; the next visit skips those") {
  visit first;
  CHECK(first.r->push("/style.css", {}, {.validator = "\"1-a\""}).promised());
  CHECK(first.r->push("/app.js").promised());
  const auto cookie = first.reply_cookie();
  REQUIRE(cookie.rfind("rodeo_pushed=", 0) == 0);
  CHECK(cookie.find("Path=/") != std::string::npos);
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("Secure") == std::string::npos);  // http: a Secure cookie would not return

  visit second{cookie_field(cookie)};
  CHECK(second.r->push("/style.css", {}, {.validator = "\"1-a\""}).skipped ==
        push_skip::client_cached);
  CHECK(second.r->push("/app.js").skipped == push_skip::client_cached);
  // A changed asset has a new identity: pushed again.
  CHECK(second.r->push("/style.css", {}, {.validator = "\"2-b\""}).promised());
  CHECK(second.r->push("/other.css").promised());
  CHECK(second.metrics->skips(push_skip::client_cached) == 2);
  CHECK(second.metrics->promised.load() == 0);  // counted when the connection promises
  // The new cookie keeps what the client had and adds what this response pushed.
  visit third{cookie_field(second.reply_cookie())};
  CHECK(third.r->push("/app.js").skipped == push_skip::client_cached);
  CHECK(third.r->push("/style.css", {}, {.validator = "\"2-b\""}).skipped ==
        push_skip::client_cached);
  CHECK(third.r->push("/other.css").skipped == push_skip::client_cached);
}

TEST_CASE("push_digest: no push, no cookie; nothing skipped for an unknown resource") {
  visit v;
  CHECK(v.reply_cookie().empty());
  visit w{{{"cookie", "rodeo_pushed=not-a-digest!"}}};
  CHECK(w.r->push("/style.css").promised());  // a malformed digest is an empty one
}

TEST_CASE("push_digest: a conditional navigation skips its pushes as client_cached") {
  visit etag{{{"if-none-match", "\"page-1\""}}};
  CHECK(etag.r->push("/style.css").skipped == push_skip::client_cached);
  visit since{{{"if-modified-since", "Sun, 06 Dec 2026 10:00:00 GMT"}}};
  CHECK(since.r->push("/style.css").skipped == push_skip::client_cached);
  CHECK(since.reply_cookie().empty());
}

TEST_CASE("push_digest: off per listener: pushes regardless, no cookie") {
  visit first{{}, false};
  CHECK(first.r->push("/style.css").promised());
  CHECK(first.reply_cookie().empty());
  push_digest d{{}};
  d.pushed(push_digest::identity("/style.css", "", ""));
  visit off{cookie_field(*d.set_cookie(false)), false};
  CHECK(off.r->push("/style.css").promised());
  visit cond{{{"if-none-match", "\"x\""}}, false};
  CHECK(cond.r->push("/style.css").promised());
}

TEST_CASE("push_digest: over TLS the cookie is Secure; past the cap it starts again") {
  push_digest d{{}};
  for (int i = 0; i < 40; ++i) d.pushed(push_digest::identity("/a" + std::to_string(i), "", ""));
  const auto first = *d.set_cookie(true);
  CHECK(first.find("; Secure") != std::string::npos);
  push_digest more{cookie_field(first)};
  CHECK(more.cached(push_digest::identity("/a3", "", "")));
  for (int i = 0; i < 40; ++i) more.pushed(push_digest::identity("/b" + std::to_string(i), "", ""));
  push_digest after{cookie_field(*more.set_cookie(true))};
  CHECK(after.cached(push_digest::identity("/b39", "", "")));
  CHECK(after.cached(push_digest::identity("/b0", "", "")));
  // The 40 older ones were dropped to keep the cookie within 64 members.
  int kept = 0;
  for (int i = 0; i < 40; ++i)
    kept += after.cached(push_digest::identity("/a" + std::to_string(i), "", ""));
  CHECK(kept < 5);  // false positives only (2^-7 each)
}

TEST_CASE("req.on_reply: hooks see the final fields, may push and change them, run once") {
  visit v;
  int calls = 0;
  v.r->set_resp_header("link", "</x.css>; rel=preload");
  v.r->on_reply([&](req& r, int status, headers& fields) {
    ++calls;
    CHECK(status == 200);
    CHECK(fields.front().first == "link");
    CHECK(r.push("/x.css").promised());
    fields.emplace_back("x-hooked", "1");
  });
  const auto cookie = v.reply_cookie();
  CHECK(calls == 1);
  CHECK_FALSE(cookie.empty());  // the hook's push is in the digest
  bool hooked = false, push_first = false;
  for (auto& c : v.sink->got) {
    if (std::holds_alternative<cmd::push>(c)) push_first = !hooked;
    if (auto* rep = std::get_if<cmd::reply>(&c))
      for (const auto& [n, _] : rep->fields) hooked = hooked || n == "x-hooked";
  }
  CHECK(hooked);
  CHECK(push_first);  // the promise precedes the response (RFC 9113 §8.4)
  CHECK_THROWS_AS(v.r->on_reply([](req&, int, headers&) {}), usage_error);
}
