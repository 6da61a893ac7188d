// Built against the installed package: a handler tested with rodeo::testing, over HTTP/1.1
// and HTTP/2, no socket. Exits 0 when both answered.
#include <rodeo/mw/default_chain.hpp>
#include <rodeo/rodeo.hpp>
#include <rodeo/router/compile.hpp>
#include <rodeo/testing/client.hpp>

#include <cstdio>

struct hello_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.reply(200, {{"content-type", "text/plain"}}, "tested from the package");
    return rodeo::handler_result::ok;
  }
};

int main() {
  auto routes = rodeo::router::compile({{"_", {{"/", rodeo::handler<hello_h>()}}}});
  if (!routes) return 2;
  rodeo::testing::client c{{.access_log = false, .chain = rodeo::mw::default_chain(*routes)}};
  for (auto p : {rodeo::testing::http1, rodeo::testing::http2}) {
    auto res = c.get("/", p);
    if (res.status != 200 || res.body != "tested from the package")
      return std::fprintf(stderr, "testing user: %d %s\n", res.status, res.body.c_str()), 1;
  }
  std::printf("testing user: ok\n");
}
