#include "rodeo/mw/router.hpp"

#include <doctest/doctest.h>

#include <asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include "rodeo/internal/actor/stream_link.hpp"
#include "rodeo/internal/stream/push_state.hpp"
#include "rodeo/mw/keys.hpp"
#include "rodeo/push_metrics.hpp"
#include "rodeo/req.hpp"
#include "rodeo/router/compile.hpp"
#include "router/tags.hpp"

using rodeo::test::tag;
using rodeo::test::tag_of;

namespace {

// Stands in for the connection: collects what the req sends down its stream link.
class recording_sink final : public rodeo::command_sink {
 public:
  void on_command(rodeo::stream_id, rodeo::command c) override { got.push_back(std::move(c)); }
  std::vector<rodeo::command> got;
};

// A req wired to a recording sink; no connection, no actor.
struct harness {
  std::shared_ptr<asio::io_context> io = std::make_shared<asio::io_context>();
  std::shared_ptr<recording_sink> sink = std::make_shared<recording_sink>();
  rodeo::env env;
  std::unique_ptr<rodeo::req> req;

  harness(std::string authority, std::string path) {
    rodeo::request_head head;
    head.method = "GET";
    head.scheme = "http";
    head.authority = std::move(authority);
    head.path = std::move(path);
    head.version = "HTTP/1.1";
    auto push = std::make_shared<rodeo::push_state>(false, std::make_shared<rodeo::push_metrics>());
    auto link = std::make_shared<rodeo::stream_link>(sink, io, 1, push);
    req = std::make_unique<rodeo::req>(std::move(head), link, "127.0.0.1:50000", false);
  }

  // The commands the req sent, in order.
  std::vector<rodeo::command> sent() {
    io->restart();
    io->poll();
    return std::move(sink->got);
  }
};

rodeo::mw::router make_router() {
  auto routes = rodeo::router::compile({
      {"[...].example.org",
       {
           {"/hats/:id/[...]", {{"id", rodeo::router::int_c}}, tag("hat")},
       }},
      {"example.com", {{"/", tag("root")}}},
  });
  REQUIRE_MESSAGE(routes, routes.error());
  return rodeo::mw::router{*routes};
}

int replied_status(harness& h) {
  auto cmds = h.sent();
  REQUIRE(cmds.size() == 1);
  auto* reply = std::get_if<rodeo::cmd::reply>(&cmds[0]);
  REQUIRE(reply != nullptr);
  CHECK(reply->body.empty());
  return reply->status;
}

}  // namespace

TEST_CASE("mw router: a match sets the route on the req and the handler in env") {
  auto router = make_router();
  harness h{"shop.example.org:8080", "/hats/7/red/large"};
  CHECK(router.execute(*h.req, h.env) == rodeo::middleware_result::next);
  const auto* target = h.env.find(rodeo::mw::handler_key);
  REQUIRE(target != nullptr);
  CHECK(tag_of(*target) == "hat");
  CHECK(h.req->binding<std::int64_t>("id") == 7);
  CHECK(h.req->binding("id").text() == "7");
  CHECK(h.req->host_info() == rodeo::path_tokens{"shop"});
  CHECK(h.req->path_info() == rodeo::path_tokens{"red", "large"});
  CHECK(h.sent().empty());
  CHECK_FALSE(h.req->replied());
}

TEST_CASE("mw router: an unknown host is answered 400 and stops the chain") {
  auto router = make_router();
  harness h{"example.net", "/"};
  CHECK(router.execute(*h.req, h.env) == rodeo::middleware_result::stop);
  CHECK(replied_status(h) == 400);
  CHECK_FALSE(h.env.contains(rodeo::mw::handler_key));
  CHECK(h.req->bindings().empty());
}

TEST_CASE("mw router: a known host without a matching path is answered 404") {
  auto router = make_router();
  for (const char* path : {"/nothing", "/hats/seven/red"}) {  // the int constraint rejects
    CAPTURE(path);
    harness h{"shop.example.org", path};
    CHECK(router.execute(*h.req, h.env) == rodeo::middleware_result::stop);
    CHECK(replied_status(h) == 404);
    CHECK_FALSE(h.env.contains(rodeo::mw::handler_key));
  }
}

TEST_CASE("mw router: a malformed path is answered 400") {
  auto router = make_router();
  for (const char* path : {"/%zz", "/../etc/passwd"}) {
    CAPTURE(path);
    harness h{"example.com", path};
    CHECK(router.execute(*h.req, h.env) == rodeo::middleware_result::stop);
    CHECK(replied_status(h) == 400);
  }
}
