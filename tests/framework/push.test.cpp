#include "rodeo/push.hpp"

#include <doctest/doctest.h>

#include "log_capture.hpp"
#include "req_fixture.hpp"
#include "rodeo/errors.hpp"
#include "rodeo/internal/actor/req_access.hpp"
#include "rodeo/internal/actor/stream_link.hpp"
#include "rodeo/internal/net/tls/served_names.hpp"
#include "rodeo/log.hpp"

// The push contract (RFC 9113 §8.4, DESIGN.md): the validation table, the defaults and the
// no-op reasons, on a real req whose commands are recorded instead of sent.

using namespace rodeo;

namespace {

struct push_fixture {
  std::shared_ptr<asio::io_context> io = std::make_shared<asio::io_context>();
  std::shared_ptr<test::recording_sink> sink = std::make_shared<test::recording_sink>();
  std::shared_ptr<push_metrics> metrics = std::make_shared<push_metrics>();
  std::shared_ptr<push_state> state = std::make_shared<push_state>(true, metrics);
  std::unique_ptr<req> r;

  explicit push_fixture(std::string authority = "example.org", std::string scheme = "http",
                        bool pushed = false, headers fields = {}, std::string version = "HTTP/2") {
    auto head = test::make_head("GET", std::move(authority), "/page", std::move(fields));
    head.scheme = std::move(scheme);
    head.version = std::move(version);
    r = std::make_unique<req>(std::move(head), std::make_shared<stream_link>(sink, io, 1, state),
                              "127.0.0.1:1", pushed);
  }
  std::vector<command> sent() {
    req_access::link(*r).flush();  // what the request actor does at the end of its turn
    io->restart();
    io->poll();
    return std::move(sink->got);
  }
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("RFC 9113 §8.4: validate_push refuses what a promised request may not carry") {
  struct row {
    std::string path;
    headers fields;
    push_options opts;
    std::string expected;  // part of the message; empty: valid
  };
  const std::vector<row> table = {
      {"/a.css", {{"accept", "text/css"}}, {}, ""},
      {"/a.css", {}, {.method = "HEAD"}, ""},
      {"/a.css", {}, {.method = "POST"}, "method 'POST' cannot be pushed"},
      {"/a.css", {}, {.method = "get"}, "method 'get' cannot be pushed"},
      {"a.css", {}, {}, "must be an absolute path"},
      {"", {}, {}, "must be an absolute path"},
      {"/a b", {}, {}, "not allowed in a path"},
      {"/a?x=1", {}, {}, "a query goes in push_options::qs"},
      {"/a", {}, {.qs = "a b"}, "must be percent-encoded"},
      {"/a", {{"Accept", "x"}}, {}, "uppercase"},
      {"/a", {{"bad name", "x"}}, {}, "not a valid field name"},
      {"/a", {{"", "x"}}, {}, "empty name"},
      {"/a", {{":path", "/b"}}, {}, "pseudo-header"},
      {"/a", {{"x-v", "a\r\nb"}}, {}, "CR, LF or NUL"},
      {"/a", {{"x-v", std::string("a\0b", 3)}}, {}, "CR, LF or NUL"},
      // Found by tests/fuzz/push_validate: nghttp2 clients reset a promised stream whose
      // request carries these (RFC 9113 §8.2.1, RFC 9110 §5.5).
      {"/a", {{"x-v", " a"}}, {}, "starts or ends with whitespace"},
      {"/a", {{"x-v", "a "}}, {}, "starts or ends with whitespace"},
      {"/a", {{"x-v", "\ta"}}, {}, "starts or ends with whitespace"},
      {"/a",
       {{"x-v",
         "a\x01"
         "b"}},
       {},
       "control character"},
      {"/a", {{"x-v", "a\x1b"}}, {}, "control character"},
      {"/a", {{"x-v", "a\x7f"}}, {}, "control character"},
      {"/a", {{"x-v", "a b\tc\x80\xff"}, {"x-empty", ""}}, {}, ""},
      {"/a", {}, {.scheme = std::string{"ftp"}}, "is not http or https"},
      {"/a", {}, {.port = std::uint16_t{0}}, "port 0"},
      // A promised request has no content to be encoded; Go's Pusher refuses it too.
      {"/a", {{"content-encoding", "gzip"}}, {}, "content-encoding"},
  };
  for (const auto& row : table) {
    CAPTURE(row.path);
    auto msg = error_of([&] { validate_push(row.path, row.fields, row.opts); });
    if (row.expected.empty())
      CHECK(msg == "");
    else
      CHECK(msg.find(row.expected) != std::string::npos);
  }
  for (auto name : {"host", "content-length", "transfer-encoding", "te", "expect", "connection",
                    "keep-alive", "upgrade", "proxy-connection", "trailer"}) {
    CAPTURE(name);
    auto msg = error_of([&] { validate_push("/a", {{name, "x"}}, {}); });
    CHECK(msg.find("may not appear in a promised request") != std::string::npos);
  }
}

TEST_CASE("req.push inherits scheme, host and port, omits the default port, empty qs") {
  push_fixture f{"Example.org:80"};
  auto out = f.r->push("/style.css", {{"accept", "text/css"}});
  CHECK(out.promised());
  CHECK(out.method == "GET");
  CHECK(out.authority == "example.org");  // :authority omits the default port
  CHECK(out.qs == "");
  auto cmds = f.sent();
  REQUIRE(cmds.size() == 1);
  const auto& p = std::get<cmd::push>(cmds[0]);
  CHECK(p.promised.method == "GET");
  CHECK(p.promised.scheme == "http");
  CHECK(p.promised.authority == "example.org");
  CHECK(p.promised.path == "/style.css");
  CHECK(p.promised.version == "HTTP/2");
  CHECK(p.promised.fields == headers{{"accept", "text/css"}});
}

TEST_CASE("push_options::inherit copies the chosen parent fields; given fields win") {
  push_fixture f{"example.org",
                 "http",
                 false,
                 {{"authorization", "Bearer t1"},
                  {"cookie", "a=1"},
                  {"cookie", "b=2"},
                  {"accept", "text/html"}}};
  auto out = f.r->push("/a.css", {{"accept", "text/css"}},
                       {.inherit = {"authorization", "cookie", "accept", "x-absent"}});
  CHECK(out.promised());
  auto cmds = f.sent();
  REQUIRE(cmds.size() == 1);
  const auto& p = std::get<cmd::push>(cmds[0]);
  // accept was given: the parent's is not added; x-absent is not on the parent: skipped.
  CHECK(p.promised.fields == headers{{"accept", "text/css"},
                                     {"authorization", "Bearer t1"},
                                     {"cookie", "a=1"},
                                     {"cookie", "b=2"}});
  CHECK(p.meta == nullptr);  // share_meta is off by default
}

TEST_CASE("push_options::inherit names are validated like fields; nothing is sent") {
  push_fixture f{"example.org", "http", false, {{"connection", "close"}, {"te", "trailers"}}};
  for (auto [name, expected] : {std::pair{"connection", "may not appear in a promised request"},
                                std::pair{"te", "may not appear in a promised request"},
                                std::pair{"host", "may not appear in a promised request"},
                                std::pair{":authority", "pseudo-header"},
                                std::pair{"Cookie", "uppercase"}, std::pair{"", "empty name"}}) {
    CAPTURE(name);
    auto msg = error_of([&] { f.r->push("/a.css", {}, {.inherit = {name}}); });
    CHECK(msg.find(std::string{"inherited field"}) != std::string::npos);
    CHECK(msg.find(expected) != std::string::npos);
  }
  CHECK(f.sent().empty());
}

TEST_CASE("push_options::share_meta hands the pushed request a copy of the store") {
  struct user {
    std::string name;
  };
  push_fixture f;
  f.r->meta().set(user{"ada"});
  f.r->meta().set_text("request-id", "r1");
  f.r->push("/a.css", {}, {.share_meta = true});
  f.r->meta().set(user{"changed after the push"});
  auto cmds = f.sent();
  REQUIRE(cmds.size() == 1);
  const auto& p = std::get<cmd::push>(cmds[0]);
  REQUIRE(p.meta != nullptr);
  REQUIRE(p.meta->get<user>() != nullptr);
  CHECK(p.meta->get<user>()->name == "ada");
  REQUIRE(p.meta->text("request-id") != nullptr);
  CHECK(*p.meta->text("request-id") == "r1");
}

TEST_CASE("req.push keeps a non-default port and takes qs from the options") {
  push_fixture f{"127.0.0.1:8443", "https"};
  auto out = f.r->push("/app.js", {}, {.qs = "v=2"});
  CHECK(out.authority == "127.0.0.1:8443");
  CHECK(out.qs == "v=2");
  CHECK(std::get<cmd::push>(f.sent().at(0)).promised.qs == "v=2");
}

TEST_CASE("req.push to another origin is an error and sends nothing") {
  push_fixture f;
  CHECK(error_of([&] {
          f.r->push("/a", {}, {.host = std::string{"evil.example"}});
        }).find("is not an origin this connection serves") != std::string::npos);
  CHECK(error_of([&] {
          f.r->push("/a", {}, {.scheme = std::string{"https"}});
        }).find("is not an origin this connection serves") != std::string::npos);
  CHECK(error_of([&] {
          f.r->push("/a", {}, {.port = std::uint16_t{8080}});
        }).find("is not an origin this connection serves") != std::string::npos);
  CHECK(f.sent().empty());
}

TEST_CASE("req.push compares the host override case-insensitively") {
  push_fixture f;  // example.org
  auto out = f.r->push("/a", {}, {.host = std::string{"EXAMPLE.org"}});
  CHECK(out.promised());
  CHECK(out.authority == "example.org");
}

TEST_CASE("RFC 9113 §8.4 over TLS req.push may name any host the certificate covers") {
  push_fixture f{"www.example.org", "https"};
  f.state->set_served(std::make_shared<const tls::served_names>(
      std::vector<std::string>{"www.example.org", "*.cdn.example.org"},
      std::vector<std::string>{}));
  CHECK(f.r->push("/a", {}, {.host = std::string{"img.cdn.example.org"}}).authority ==
        "img.cdn.example.org");
  CHECK(f.r->push("/a", {}, {.host = std::string{"IMG2.CDN.example.org"}}).authority ==
        "img2.cdn.example.org");
  // Not covered, or another scheme or port than the one the client reached: refused.
  CHECK(error_of([&] {
          f.r->push("/a", {}, {.host = std::string{"evil.example"}});
        }).find("is not an origin this connection serves") != std::string::npos);
  CHECK(error_of([&] {
          f.r->push("/a", {}, {.scheme = std::string{"http"}});
        }).find("is not an origin this connection serves") != std::string::npos);
  CHECK(error_of([&] {
          f.r->push("/a", {},
                    {.host = std::string{"img.cdn.example.org"}, .port = std::uint16_t{8443}});
        }).find("is not an origin this connection serves") != std::string::npos);
  CHECK(f.sent().size() == 2);
}

TEST_CASE("req.push after the final response started is an error, after inform it is not") {
  push_fixture f;
  f.r->inform(103);
  CHECK(f.r->push("/early").promised());
  f.r->reply(200);
  CHECK(error_of([&] { f.r->push("/late"); }).find("the final response has started") !=
        std::string::npos);
  push_fixture g;
  g.r->stream_reply(200);
  CHECK(error_of([&] { g.r->push("/late"); }).find("the final response has started") !=
        std::string::npos);
}

TEST_CASE("push no-op reasons are returned, recorded and counted") {
  SUBCASE("http1") {
    push_fixture f;
    f.state->set_http2(false);
    CHECK(f.r->push("/a").skipped == push_skip::http1);
  }
  SUBCASE("client disabled push") {
    push_fixture f;
    f.state->update_peer(false, 100);
    CHECK(f.r->push("/a").skipped == push_skip::disabled_by_client);
  }
  SUBCASE("connection closing") {
    push_fixture f;
    f.state->set_closing();
    CHECK(f.r->push("/a").skipped == push_skip::connection_closing);
  }
  SUBCASE("nested: the request is itself pushed") {
    push_fixture f{"example.org", "http", true};
    CHECK(f.r->push("/a").skipped == push_skip::nested);
  }
  SUBCASE("concurrency limit, released when a pushed stream ends") {
    push_fixture f;
    f.state->update_peer(true, 1);
    CHECK(f.r->push("/a").promised());
    CHECK(f.r->push("/b").skipped == push_skip::concurrency_limit);
    f.state->release();
    CHECK(f.r->push("/b").promised());
  }
  SUBCASE("output full: the connection is over its output limits") {
    push_fixture f;
    f.state->set_output_full(true);
    CHECK(f.r->push("/a").skipped == push_skip::output_full);
    f.state->set_output_full(false);
    CHECK(f.r->push("/a").promised());
  }
  SUBCASE("duplicate resource; method and qs make another resource") {
    push_fixture f;
    CHECK(f.r->push("/a").promised());
    CHECK(f.r->push("/a").skipped == push_skip::duplicate);
    CHECK(f.r->push("/a", {}, {.method = "HEAD"}).promised());
    CHECK(f.r->push("/a", {}, {.qs = "v=2"}).promised());
  }
  push_fixture f;
  f.state->update_peer(true, 0);
  f.r->push("/x");
  f.r->push("/y");
  CHECK(f.r->pushes().size() == 2);
  CHECK(f.r->pushes()[1].skipped == push_skip::concurrency_limit);
  CHECK(f.metrics->requested == 2);
  CHECK(f.metrics->skips(push_skip::concurrency_limit) == 2);
  CHECK(f.metrics->promised == 0);  // promised is counted when the frame is submitted
  CHECK(f.sent().empty());
}

TEST_CASE("a push dropped before its promise gives back its slot and its key") {
  // The parent was reset (or the connection closed) while the push command was on its way:
  // the connection drops the command, and the reservation must not outlive it.
  push_fixture f;
  f.state->update_peer(true, 1);
  CHECK(f.r->push("/a").promised());
  f.sent();  // the commands are dropped here, unapplied
  auto again = f.r->push("/a");
  CHECK(again.skipped == push_skip::none);  // neither concurrency_limit nor duplicate
  CHECK(f.metrics->requested == 2);
  CHECK(f.metrics->skips(push_skip::stream_closed) == 1);
  CHECK(f.metrics->skips(push_skip::concurrency_limit) == 0);
}

TEST_CASE("RFC 3986 §5.2.4 push paths lose their dot segments") {
  push_fixture f;
  const std::vector<std::pair<std::string, std::string>> table = {
      {"/a/../b", "/b"},
      {"/./x", "/x"},
      {"/a/b/../../c/./d", "/c/d"},
      {"/a/..", "/"},
      {"/..", "/"},
      {"/a/./", "/a/"},
      {"/a/b/..", "/a/"},
      {"/a/.b/..c", "/a/.b/..c"},
      {"/x/../../y/", "/y/"},
  };
  for (const auto& [path, expected] : table) {
    CAPTURE(path);
    CHECK(f.r->push(path).path == expected);
  }
  auto cmds = f.sent();
  REQUIRE(cmds.size() == 7);  // "/a/.." and "/.." are both "/"; "/a/./" and "/a/b/.." "/a/"
  CHECK(std::get<cmd::push>(cmds[0]).promised.path == "/b");
  CHECK(f.r->push("/q/../b").skipped == push_skip::duplicate);  // the same resource as /b
}

TEST_CASE("push_skip reasons have names") {
  CHECK(to_string(push_skip::none) == "promised");
  CHECK(to_string(push_skip::disabled_by_client) == "disabled_by_client");
  CHECK(to_string(push_skip::duplicate) == "duplicate");
  CHECK(to_string(push_skip::output_full) == "output_full");
}

TEST_CASE("a push skipped over HTTP/1.1 is logged under rodeo.push, not rodeo.h2") {
  log::set_level("debug");
  test::log_capture h2_logs{log::h2(), spdlog::level::debug};
  test::log_capture push_logs{log::push(), spdlog::level::debug};
  push_fixture f{"example.org", "http", false, {}, "HTTP/1.1"};  // no hints over HTTP/1.1
  f.state->set_http2(false);
  CHECK(f.r->push("/a").skipped == push_skip::http1);
  CHECK(h2_logs.text().find("skipped") == std::string::npos);
  CHECK(push_logs.text().find("[rodeo.push] [debug] stream 1 push GET example.org/a skipped: ") !=
        std::string::npos);
  log::set_level("info");
}

TEST_CASE("a hinted push is logged under rodeo.push with why it was no push") {
  // The metrics count it `hinted`, not under its reason: the log is where the reason shows.
  log::set_level("debug");
  test::log_capture push_logs{log::push(), spdlog::level::debug};
  push_fixture f;
  f.state->update_peer(false, 100);  // SETTINGS_ENABLE_PUSH = 0
  CHECK(f.r->push("/a").hinted);
  CHECK(push_logs.text().find(
            "[rodeo.push] [debug] stream 1 push GET example.org/a hinted: disabled_by_client") !=
        std::string::npos);
  log::set_level("info");
}
