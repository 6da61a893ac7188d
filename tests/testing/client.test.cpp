// rodeo::testing::client: requests through the real stack over an in-memory transport, in
// HTTP/1.1 and HTTP/2, with 1xx responses, pushes, bodies and the bounded wait.
#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "rodeo/mw/default_chain.hpp"
#include "rodeo/rodeo.hpp"
#include "rodeo/router/router.hpp"
#include "rodeo/testing/client.hpp"

namespace {

using namespace std::chrono_literals;
using rodeo::testing::http1;
using rodeo::testing::http2;

struct hello_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.reply(200, {{"content-type", "text/plain"}},
              "hello " + req.binding<std::string>("name") + " over " + req.version());
    return rodeo::handler_result::ok;
  }
};

// Echoes the method, a request field and the body.
struct echo_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.read_body([](rodeo::req& r, std::string body) {
      r.reply(201, {{"x-seen", std::string{r.header("x-token").value_or("-")}}},
              r.method() + " " + body);
    });
    return rodeo::handler_result::ok;
  }
};

// 103 Early Hints, then the page; it pushes its stylesheet.
struct page_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.inform(103, {{"link", "</style.css>; rel=preload"}});
    req.push("/style.css");
    req.reply(200, {{"content-type", "text/html"}}, "<link rel=stylesheet href=/style.css>");
    return rodeo::handler_result::ok;
  }
};

struct style_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.reply(200, {{"content-type", "text/css"}}, req.is_pushed() ? "pushed{}" : "fetched{}");
    return rodeo::handler_result::ok;
  }
};

// A body in chunks, then trailers.
struct stream_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.stream_reply(200, {{"trailer", "x-sum"}});
    req.stream_body("one ");
    req.stream_body("two");
    req.stream_trailers({{"x-sum", "2"}});
    return rodeo::handler_result::ok;
  }
};

// 1 MiB of 'x'.
struct big_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.reply(200, {}, std::string(1 << 20, 'x'));
    return rodeo::handler_result::ok;
  }
};

// Never replies: it stays in its loop.
struct silent_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req&) override { return rodeo::handler_result::loop; }
};

rodeo::listener_options options() {
  auto routes = rodeo::router::compile({{"_",
                                         {
                                             {"/hello/:name", rodeo::handler<hello_h>()},
                                             {"/echo", rodeo::handler<echo_h>()},
                                             {"/page", rodeo::handler<page_h>()},
                                             {"/style.css", rodeo::handler<style_h>()},
                                             {"/stream", rodeo::handler<stream_h>()},
                                             {"/silent", rodeo::handler<silent_h>()},
                                             {"/big", rodeo::handler<big_h>()},
                                         }}});
  return {.access_log = false, .chain = rodeo::mw::default_chain(routes.value())};
}

}  // namespace

TEST_CASE("testing client: GET over HTTP/1.1 and HTTP/2 reaches the routed handler") {
  rodeo::testing::client c{options()};
  auto one = c.get("/hello/joe");
  CHECK(one.complete);
  CHECK(one.status == 200);
  CHECK(one.body == "hello joe over HTTP/1.1");
  CHECK(one.header("content-type") == "text/plain");
  auto two = c.get("/hello/ann", http2);
  CHECK(two.complete);
  CHECK(two.status == 200);
  CHECK(two.body == "hello ann over HTTP/2");
  CHECK(two.header("content-type") == "text/plain");
}

TEST_CASE("testing client: the router's 404 for an unknown path") {
  rodeo::testing::client c{options()};
  CHECK(c.get("/nowhere").status == 404);
  CHECK(c.get("/nowhere", http2).status == 404);
}

TEST_CASE("testing client: a POST's fields and body reach the handler, in both protocols") {
  rodeo::testing::client c{options()};
  for (auto p : {http1, http2}) {
    CAPTURE(static_cast<int>(p));
    auto res = c.request(
        {.method = "POST", .path = "/echo", .headers = {{"x-token", "t1"}}, .body = "a=1&b=2"}, p);
    CHECK(res.status == 201);
    CHECK(res.body == "POST a=1&b=2");
    CHECK(res.header("x-seen") == "t1");
  }
}

TEST_CASE("testing client: bodies beyond HTTP/2's initial flow-control window, both ways") {
  rodeo::testing::client c{options()};
  for (auto p : {http1, http2}) {
    CAPTURE(static_cast<int>(p));
    auto big = c.get("/big", p);
    CHECK(big.complete);
    CHECK(big.body == std::string(1 << 20, 'x'));
    const std::string body(200 * 1024, 'b');
    auto echoed = c.request({.method = "PUT", .path = "/echo", .body = body}, p);
    CHECK(echoed.status == 201);
    CHECK(echoed.body == "PUT " + body);
  }
}

TEST_CASE("testing client: HEAD gets the head alone") {
  rodeo::testing::client c{options()};
  auto res = c.request({.method = "HEAD", .path = "/hello/joe"});
  CHECK(res.complete);
  CHECK(res.status == 200);
  CHECK(res.body.empty());
}

TEST_CASE("testing client: 1xx responses and HTTP/2 pushes come apart from the response") {
  rodeo::testing::client c{options()};
  auto res = c.get("/page", http2);
  CHECK(res.status == 200);
  CHECK(res.body == "<link rel=stylesheet href=/style.css>");
  REQUIRE(res.informational.size() == 1);
  CHECK(res.informational[0].status == 103);
  CHECK(res.informational[0].header("link") == "</style.css>; rel=preload");
  REQUIRE(res.pushes.size() == 1);
  const auto& p = res.pushes[0];
  CHECK(p.method == "GET");
  CHECK(p.path == "/style.css");
  CHECK(p.host == "localhost");
  CHECK(p.complete);
  CHECK(p.status == 200);
  CHECK(p.header("content-type") == "text/css");
  CHECK(p.body == "pushed{}");
  // HTTP/1.1 has no push: the hints and the page alone.
  auto one = c.get("/page");
  CHECK(one.informational.size() == 1);
  CHECK(one.informational[0].header("link") == "</style.css>; rel=preload");
  CHECK(one.pushes.empty());
  CHECK(one.body == res.body);
}

TEST_CASE("testing client: a streamed body is joined and its trailers kept") {
  rodeo::testing::client c{options()};
  for (auto p : {http1, http2}) {
    CAPTURE(static_cast<int>(p));
    auto res = c.get("/stream", p);
    CHECK(res.complete);
    CHECK(res.body == "one two");
    CHECK(rodeo::find_header(res.trailers, "x-sum") == "2");
  }
}

TEST_CASE("testing client: a handler that never replies is an error after the timeout") {
  rodeo::testing::client c{options(), {.timeout = 300ms}};
  for (auto p : {http1, http2}) {
    CAPTURE(static_cast<int>(p));
    std::string what;
    try {
      c.get("/silent", p);
    } catch (const rodeo::testing::timeout_error& e) {
      what = e.what();
    }
    CHECK(what ==
          "rodeo::testing: GET /silent got no complete response within 300 ms: does "
          "its handler reply (or end its stream)?");
  }
  // The client is still usable.
  CHECK(c.get("/hello/joe").status == 200);
}

TEST_CASE("testing client: bad options stop it with the listener's line") {
  rodeo::listener_options empty;
  CHECK_THROWS_WITH_AS(rodeo::testing::client{std::move(empty)},
                       "the middleware chain is empty: use rodeo::mw::default_chain(routes)",
                       std::invalid_argument);
}
