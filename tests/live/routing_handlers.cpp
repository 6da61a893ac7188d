#include "routing_handlers.hpp"

#include <caf/event_based_actor.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include "test_handlers.hpp"

namespace live {

namespace {

using rodeo::handler_result;
using rodeo::req;

const rodeo::headers text = {{"content-type", "text/plain"}};

// api.localhost GET /v/:n: the binding, converted by the int constraint.
struct version_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.reply(200, text,
            "n=" + std::to_string(r.binding<std::int64_t>("n")) + " host=" + r.host() +
                " version=" + r.version());
    return handler_result::ok;
  }
};

// GET /qs?n=N: 2n. match_qs refuses a missing or non-integer n: 400 with the reason.
struct qs_h : rodeo::handler_base {
  handler_result init(req& r) override {
    auto qs = r.match_qs({{"n", {rodeo::http::int_c}}, {"label", {}, std::string{"n*2"}}});
    r.reply(200, text,
            std::any_cast<std::string>(qs.at("label")) + "=" +
                std::to_string(std::any_cast<std::int64_t>(qs.at("n")) * 2));
    return handler_result::ok;
  }
};

// GET /cookie/set: two cookies, one with attributes.
struct cookie_set_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.set_resp_cookie("flavor", "oatmeal", {.path = "/", .http_only = true, .same_site = "Lax"});
    r.set_resp_cookie("visits", "1");
    r.reply(200, text, "cookies set");
    return handler_result::ok;
  }
};

// GET /cookie/echo: the request's cookies, "name=value" per line.
struct cookie_echo_h : rodeo::handler_base {
  handler_result init(req& r) override {
    std::string out;
    for (const auto& [name, value] : r.parse_cookies()) out += name + "=" + value + "\n";
    r.reply(200, text, out);
    return handler_result::ok;
  }
};

// GET /negotiate: the client's most preferred media range that we offer (text/plain or
// application/json); 406 if none. A malformed Accept is a 400 (parse_accept throws).
struct negotiate_h : rodeo::handler_base {
  handler_result init(req& r) override {
    auto accept = r.parse_accept();
    if (!accept) {
      r.reply(200, text, "text/plain (no accept)");
      return handler_result::ok;
    }
    for (const auto& m : *accept) {
      if (m.quality == 0) continue;
      for (std::string offer : {"text/plain", "application/json"}) {
        auto slash = offer.find('/');
        if ((m.type == "*" || m.type == offer.substr(0, slash)) &&
            (m.subtype == "*" || m.subtype == offer.substr(slash + 1))) {
          r.reply(200, {{"content-type", offer}}, offer);
          return handler_result::ok;
        }
      }
    }
    r.reply(406, text, "not acceptable");
    return handler_result::ok;
  }
};

// GET /relay: a loop handler answered by another actor. It spawns a helper that sends the
// request actor a string naming itself; info replies with it.
struct relay_h : rodeo::handler_base {
  handler_result init(req& r) override {
    auto me = caf::actor_cast<caf::actor>(r.self());
    r.self()->spawn(
        [](caf::event_based_actor* helper, caf::actor to) {
          helper->send(to, "from actor " + std::to_string(helper->id()));
        },
        me);
    return handler_result::loop;
  }
  handler_result info(const caf::message& m, req& r) override {
    if (!m.match_elements<std::string>()) return handler_result::loop;  // not ours: keep waiting
    r.reply(200, text, m.get_as<std::string>(0) + " to actor " + std::to_string(r.self()->id()));
    return handler_result::ok;
  }
};

// GET /loop-timeout: a loop handler nobody answers; after 300 ms the default timeout
// replies 204. terminate counts its reason.
struct loop_timeout_h : rodeo::handler_base {
  handler_result init(req&) override { return handler_result::loop; }
  std::chrono::milliseconds loop_timeout() const override { return std::chrono::milliseconds(300); }
  void terminate(rodeo::terminate_reason why, req&) override {
    count(std::string{"loop_timeout_terminate_"} + std::string{to_string(why)});
  }
};

}  // namespace

rodeo::router::host_rule api_host_rule() {
  return {"api.localhost", {{"/v/:n", {{"n", rodeo::router::int_c}}, rodeo::handler<version_h>()}}};
}

std::vector<rodeo::router::path_rule> routing_routes() {
  return {
      {"/qs", rodeo::handler<qs_h>()},
      {"/cookie/set", rodeo::handler<cookie_set_h>()},
      {"/cookie/echo", rodeo::handler<cookie_echo_h>()},
      {"/negotiate", rodeo::handler<negotiate_h>()},
      {"/relay", rodeo::handler<relay_h>()},
      {"/loop-timeout", rodeo::handler<loop_timeout_h>()},
  };
}

rodeo::middleware_ptr rewrite_middleware() {
  return rodeo::make_middleware([](req& r, rodeo::env&) {
    if (r.path().rfind("/old/", 0) == 0) r.set_path("/hello/" + r.path().substr(5));
    return rodeo::middleware_result::next;
  });
}

}  // namespace live
