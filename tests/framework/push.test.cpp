#include "rodeo/push.hpp"

#include <doctest/doctest.h>

#include "log_capture.hpp"
#include "req_fixture.hpp"
#include "rodeo/errors.hpp"
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
                        bool pushed = false) {
    auto head = test::make_head("GET", std::move(authority), "/page");
    head.scheme = std::move(scheme);
    head.version = "HTTP/2";
    r = std::make_unique<req>(std::move(head), std::make_shared<stream_link>(sink, io, 1, state),
                              "127.0.0.1:1", pushed);
  }
  std::vector<command> sent() {
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
        }).find("not the origin of this request") != std::string::npos);
  CHECK(error_of([&] {
          f.r->push("/a", {}, {.scheme = std::string{"https"}});
        }).find("not the origin") != std::string::npos);
  CHECK(error_of([&] {
          f.r->push("/a", {}, {.port = std::uint16_t{8080}});
        }).find("not the origin") != std::string::npos);
  CHECK(f.sent().empty());
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

TEST_CASE("push_skip reasons have names") {
  CHECK(to_string(push_skip::none) == "promised");
  CHECK(to_string(push_skip::disabled_by_client) == "disabled_by_client");
  CHECK(to_string(push_skip::duplicate) == "duplicate");
  CHECK(to_string(push_skip::output_full) == "output_full");
}

TEST_CASE("a push skipped over HTTP/1.1 is logged under rodeo.push, not rodeo.h2") {
  log::set_level("debug");
  test::log_capture h2_logs{log::h2(), spdlog::level::debug};
  test::log_capture push_logs{spdlog::get("rodeo.push") ? spdlog::get("rodeo.push") : log::app(),
                              spdlog::level::debug};
  push_fixture f;
  f.state->set_http2(false);
  CHECK(f.r->push("/a").skipped == push_skip::http1);
  CHECK(h2_logs.text().find("skipped") == std::string::npos);
  CHECK(push_logs.text().find("[rodeo.push] [debug] stream 1 push GET example.org/a skipped: ") !=
        std::string::npos);
  log::set_level("info");
}
