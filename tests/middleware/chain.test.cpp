// The middleware chain as the request actor runs it: order, stop, env passing.
#include "rodeo/middleware.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "framework/log_capture.hpp"
#include "framework/req_fixture.hpp"
#include "rodeo/env.hpp"
#include "rodeo/log.hpp"
#include "rodeo/req.hpp"
#include "rodeo/runtime.hpp"

using rodeo::middleware_result;
using rodeo::test::req_fixture;

namespace {

const rodeo::env_key<std::vector<std::string>> order_key{"order"};
const rodeo::env_key<std::string> user_key{"user"};
const rodeo::env_key<int> quota_key{"quota"};

// A middleware that appends `name` to the order kept in env.
rodeo::middleware_ptr step(std::string name) {
  return rodeo::make_middleware([name](rodeo::req&, rodeo::env& e) {
    if (auto* order = e.find(order_key))
      order->push_back(name);
    else
      e.set(order_key, std::vector<std::string>{name});
    return middleware_result::next;
  });
}

// Replies 200 with the order kept in env, "a,b,c".
rodeo::middleware_ptr reply_order() {
  return rodeo::make_middleware([](rodeo::req& r, rodeo::env& e) {
    std::string body;
    for (const auto& s : e.at(order_key)) body += (body.empty() ? "" : ",") + s;
    r.reply(200, {}, body);
    return middleware_result::next;
  });
}

}  // namespace

TEST_CASE("middleware chain runs its middlewares in list order over one env") {
  auto sys = rodeo::make_actor_system(1);
  req_fixture f{"/"};
  auto cmds = rodeo::test::run_chain(*sys, f, {step("a"), step("b"), step("c"), reply_order()});
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 200);
  CHECK(reply->body == "a,b,c");
}

TEST_CASE("middleware chain stop ends the chain, later middlewares do not run") {
  auto sys = rodeo::make_actor_system(1);
  auto later_ran = std::make_shared<bool>(false);
  auto deny = rodeo::make_middleware([](rodeo::req& r, rodeo::env&) {
    r.reply(403, {{"content-type", "text/plain"}}, "no\n");
    return middleware_result::stop;
  });
  auto later = rodeo::make_middleware([later_ran](rodeo::req&, rodeo::env&) {
    *later_ran = true;
    return middleware_result::next;
  });
  req_fixture f{"/"};
  auto cmds = rodeo::test::run_chain(*sys, f, {step("a"), deny, later, reply_order()});
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 403);
  CHECK(reply->body == "no\n");
  CHECK_FALSE(*later_ran);
}

TEST_CASE("middleware chain stop without a reply is answered 204") {
  auto sys = rodeo::make_actor_system(1);
  auto quiet =
      rodeo::make_middleware([](rodeo::req&, rodeo::env&) { return middleware_result::stop; });
  req_fixture f{"/"};
  auto cmds = rodeo::test::run_chain(*sys, f, {quiet, reply_order()});
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 204);
  CHECK(reply->body.empty());
}

TEST_CASE("middleware chain passes typed values between middlewares in env") {
  auto sys = rodeo::make_actor_system(1);
  auto auth = rodeo::make_middleware([](rodeo::req& r, rodeo::env& e) {
    e.set(user_key, std::string{r.header("x-user").value_or("anonymous")});
    e.set(quota_key, 3);
    return middleware_result::next;
  });
  auto use = rodeo::make_middleware([](rodeo::req& r, rodeo::env& e) {
    // find gives a pointer of the key's type (or null), at a reference: no casts.
    const std::string* user = e.find(user_key);
    int& quota = e.at(quota_key);
    --quota;
    r.reply(
        200, {},
        *user + " " + std::to_string(quota) + " " + (e.contains(order_key) ? "order" : "no-order"));
    return middleware_result::next;
  });
  req_fixture f{"/", {{"x-user", "ada"}}};
  auto cmds = rodeo::test::run_chain(*sys, f, {auth, use});
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->body == "ada 2 no-order");
}

TEST_CASE("middleware chain a missing env key read with at is a 500 naming the key") {
  rodeo::env e;
  CHECK_THROWS_WITH_AS(e.at(quota_key),
                       "env has no 'quota': a middleware earlier in the chain must set it",
                       std::out_of_range);
  auto sys = rodeo::make_actor_system(1);
  req_fixture f{"/"};
  auto cmds = rodeo::test::run_chain(*sys, f, {reply_order()});  // nobody set the order
  REQUIRE(cmds.size() == 1);
  CHECK(std::holds_alternative<rodeo::cmd::crash>(cmds[0]));
}

namespace {

// Replies and returns next by mistake (the chain must stop after it all the same).
struct early_reply_mw final : rodeo::middleware {
  middleware_result execute(rodeo::req& r, rodeo::env&) const override {
    r.reply(200, {{"content-type", "text/plain"}}, "early\n");
    return middleware_result::next;
  }
};

// Stops the chain without replying.
struct silent_stop_mw final : rodeo::middleware {
  middleware_result execute(rodeo::req&, rodeo::env&) const override {
    return middleware_result::stop;
  }
};

}  // namespace

TEST_CASE("middleware chain a middleware that replies and returns next stops the chain") {
  auto sys = rodeo::make_actor_system(1);
  auto later_ran = std::make_shared<bool>(false);
  auto later = rodeo::make_middleware([later_ran](rodeo::req&, rodeo::env&) {
    *later_ran = true;
    return middleware_result::next;
  });
  rodeo::test::log_capture logs{rodeo::log::app(), spdlog::level::warn};
  req_fixture f{"/"};
  auto cmds = rodeo::test::run_chain(
      *sys, f, {std::make_shared<early_reply_mw>(), later, step("b"), reply_order()});
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 200);
  CHECK(reply->body == "early\n");
  CHECK_FALSE(*later_ran);
  // The warning blames the middleware, by its (demangled) type name.
  const auto text = logs.text();
  CHECK(text.find("[warning]") != std::string::npos);
  CHECK(text.find("early_reply_mw") != std::string::npos);
  CHECK(text.find("returned next") != std::string::npos);
}

TEST_CASE("middleware chain a middleware that stops without replying is logged at debug") {
  auto sys = rodeo::make_actor_system(1);
  rodeo::test::log_capture logs{rodeo::log::app(), spdlog::level::debug};
  req_fixture f{"/"};
  auto cmds = rodeo::test::run_chain(*sys, f, {std::make_shared<silent_stop_mw>(), reply_order()});
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->status == 204);
  const auto text = logs.text();
  CHECK(text.find("[debug]") != std::string::npos);
  CHECK(text.find("silent_stop_mw") != std::string::npos);
  CHECK(text.find("204") != std::string::npos);
}

TEST_CASE("middleware chain a middleware made from a function can be given a name") {
  auto named = rodeo::make_middleware(
      "auth", [](rodeo::req&, rodeo::env&) { return middleware_result::next; });
  CHECK(named->name() == "auth");
  CHECK(early_reply_mw{}.name().find("early_reply_mw") != std::string::npos);
}
