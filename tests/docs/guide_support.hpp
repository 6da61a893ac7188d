#pragma once
// Test support for tests/docs: stand-in handlers that say which route answered, and running a
// middleware chain over one request in a real request actor.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>

#include "framework/req_fixture.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/req.hpp"
#include "rodeo/router/compile.hpp"
#include "rodeo/runtime.hpp"

namespace guide::test {

/// A string usable as a template argument: named_h<"home">.
template <std::size_t N>
struct fixed_string {
  char text[N]{};
  constexpr fixed_string(const char (&s)[N]) { std::copy_n(s, N, text); }
};

/// Replies 200 with its name, then " name=value" per binding, " host_info=a.b" and
/// " path_info=a/b" when not empty: "files host_info=cdn.eu path_info=css/site.css".
template <fixed_string Name>
struct named_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    std::string out = Name.text;
    for (const auto& [name, value] : req.bindings()) out += " " + name + "=" + value.text();
    auto join = [](const rodeo::path_tokens& ts, const char* sep) {
      std::string s;
      for (const auto& t : ts) s += (s.empty() ? "" : sep) + t;
      return s;
    };
    if (!req.host_info().empty()) out += " host_info=" + join(req.host_info(), ".");
    if (!req.path_info().empty()) out += " path_info=" + join(req.path_info(), "/");
    req.reply(200, {}, out);
    return rodeo::handler_result::ok;
  }
};

/// The final response of a request: status and body.
struct response {
  int status = 0;
  std::string body;
  friend bool operator==(const response&, const response&) = default;
  friend std::ostream& operator<<(std::ostream& os, const response& r) {
    return os << r.status << " \"" << r.body << "\"";
  }
};

/// The response `chain` gives a req, after the request actor ended: a reply, or a streamed
/// response joined (status 500 for a crash, 0 if the actor did not end within 5 s).
inline response run_req(const rodeo::middleware_chain& chain, rodeo::test::req_fixture& f) {
  // An actor system per request: cheap, and none outlives main (CAF must stop before the
  // statics it uses are destroyed).
  auto sys = rodeo::make_actor_system(1);
  auto a = rodeo::test::start(*sys, f, chain);
  if (!rodeo::test::wait_ended(*sys, a)) return {0, "the request actor did not end"};
  response out;
  for (const auto& c : f.sent()) {
    if (auto* r = std::get_if<rodeo::cmd::reply>(&c))
      out = {r->status, r->body};
    else if (auto* s = std::get_if<rodeo::cmd::stream_reply>(&c))
      out.status = s->status;
    else if (auto* b = std::get_if<rodeo::cmd::body>(&c))
      out.body += b->data;
    else if (std::holds_alternative<rodeo::cmd::crash>(c))
      out.status = 500;
  }
  return out;
}

/// GET `target` on `authority` with `fields`, through `chain`.
inline response run(const rodeo::middleware_chain& chain, std::string target,
                    std::string authority = "example.org", rodeo::headers fields = {}) {
  rodeo::test::req_fixture f{
      rodeo::test::make_head("GET", std::move(authority), std::move(target), std::move(fields))};
  return run_req(chain, f);
}

/// The default chain over one route on any host.
inline rodeo::middleware_chain one_route(std::string pattern, rodeo::route_target target) {
  auto routes = rodeo::router::compile({{"_", {{std::move(pattern), std::move(target)}}}});
  REQUIRE_MESSAGE(routes, routes.error());
  return rodeo::mw::default_chain(*routes);
}

}  // namespace guide::test
