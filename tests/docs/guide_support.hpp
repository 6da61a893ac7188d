#pragma once
// Test support for tests/docs: stand-in handlers that say which route answered, and running a
// middleware chain over one request through the whole stack (rodeo::testing).

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>

#include "rodeo/handler.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/req.hpp"
#include "rodeo/router/compile.hpp"
#include "rodeo/testing/client.hpp"

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

/// GET `target` on `authority` with `fields` through `chain`, over the whole stack
/// (rodeo::testing): the final response's status and body, the same in HTTP/1.1 and HTTP/2
/// (status 0 and the error when no complete response came).
inline response run(const rodeo::middleware_chain& chain, std::string target,
                    std::string authority = "example.org", rodeo::headers fields = {}) {
  rodeo::testing::client c{{.access_log = false, .chain = chain}};
  const rodeo::testing::request r{
      .path = std::move(target), .headers = std::move(fields), .host = std::move(authority)};
  response out[2];
  for (auto p : {rodeo::testing::http1, rodeo::testing::http2}) {
    try {
      auto res = c.request(r, p);
      out[p == rodeo::testing::http2] = {res.complete ? res.status : 0, res.body};
    } catch (const rodeo::testing::timeout_error& e) {
      out[p == rodeo::testing::http2] = {0, e.what()};
    }
  }
  CHECK_MESSAGE(out[0] == out[1], "HTTP/1.1 and HTTP/2 differ on ", r.path);
  return out[0];
}

/// The default chain over one route on any host.
inline rodeo::middleware_chain one_route(std::string pattern, rodeo::route_target target) {
  auto routes = rodeo::router::compile({{"_", {{std::move(pattern), std::move(target)}}}});
  REQUIRE_MESSAGE(routes, routes.error());
  return rodeo::mw::default_chain(*routes);
}

}  // namespace guide::test
