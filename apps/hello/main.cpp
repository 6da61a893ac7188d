// The smallest Rodeo application: `GET /hello` on http://127.0.0.1:8080 (HTTP/1.1 and h2c).
#include "hello_h.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/router/compile.hpp"

int main() {
  auto routes = rodeo::router::compile(
      {{"_", {{"/hello/[:name]", rodeo::methods{.get = rodeo::handler<hello::hello_h>()}}}}});
  if (!routes) return std::fprintf(stderr, "invalid routes: %s\n", routes.error().c_str()), 2;
  return rodeo::serve({.port = 8080, .chain = rodeo::mw::default_chain(*routes)});
}
