#include "rodeo/mw/handler.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "framework/req_fixture.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/internal/actor/req_access.hpp"
#include "rodeo/mw/keys.hpp"
#include "rodeo/req.hpp"

using rodeo::test::req_fixture;

namespace {

constexpr const char* no_handler_message =
    "the handler middleware found no handler in env: put the router (or a middleware that "
    "sets rodeo::mw::handler_key) before it in the chain";

struct plain_h : rodeo::handler_base {
  explicit plain_h(std::string greeting) : greeting_(std::move(greeting)) {}
  rodeo::handler_result init(rodeo::req& r) override {
    r.reply(200, {}, greeting_);
    return rodeo::handler_result::ok;
  }
  std::string greeting_;
};

struct loop_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req&) override { return rodeo::handler_result::loop; }
};

struct throwing_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req&) override { throw std::runtime_error("init failed"); }
};

}  // namespace

TEST_CASE("mw handler without a handler_key in env throws usage_error saying what to do") {
  rodeo::mw::handler mw;
  req_fixture f{"/"};
  rodeo::env e;
  CHECK_THROWS_WITH_AS(mw.execute(*f.req, e), no_handler_message, rodeo::usage_error);
  e.set(rodeo::mw::handler_key, rodeo::route_target{});  // a null target is no better
  CHECK_THROWS_WITH_AS(mw.execute(*f.req, e), no_handler_message, rodeo::usage_error);
  CHECK(f.sent().empty());
}

TEST_CASE("mw handler builds the handler with its route options and runs init") {
  rodeo::mw::handler mw;
  req_fixture f{"/"};
  rodeo::env e;
  e.set(rodeo::mw::handler_key, rodeo::handler<plain_h>(std::string{"howdy"}));
  CHECK(mw.execute(*f.req, e) == rodeo::middleware_result::next);
  CHECK(rodeo::req_access::handler(*f.req) != nullptr);
  CHECK_FALSE(rodeo::req_access::looping(*f.req));
  auto cmds = f.sent();
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->body == "howdy");
}

TEST_CASE("mw handler marks the req looping when init returns loop") {
  rodeo::mw::handler mw;
  req_fixture f{"/"};
  rodeo::env e;
  e.set(rodeo::mw::handler_key, rodeo::handler<loop_h>());
  CHECK(mw.execute(*f.req, e) == rodeo::middleware_result::next);
  CHECK(rodeo::req_access::looping(*f.req));
  CHECK(f.sent().empty());
}

TEST_CASE("mw handler keeps a handler whose init threw, so that terminate reaches it") {
  rodeo::mw::handler mw;
  req_fixture f{"/"};
  rodeo::env e;
  e.set(rodeo::mw::handler_key, rodeo::handler<throwing_h>());
  CHECK_THROWS_WITH(mw.execute(*f.req, e), "init failed");
  CHECK(dynamic_cast<throwing_h*>(rodeo::req_access::handler(*f.req)) != nullptr);
}
