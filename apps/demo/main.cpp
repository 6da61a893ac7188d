// The Rodeo demo: what ./scripts/demo serves.
#include <cstdio>

#include "hello_h.hpp"
#include "options.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/router/compile.hpp"

int main(int argc, char** argv) {
  auto opts = demo::parse_options({argv + 1, argv + argc});
  if (!opts) {
    std::fprintf(stderr, "rodeo_demo: %s\n", opts.error().c_str());
    return 2;
  }
  if (opts->help) {
    std::fputs(demo::usage().c_str(), stdout);
    return 0;
  }
  auto routes = rodeo::router::compile({
      {"_",
       {
           {"/hello/[:name]", rodeo::handler<hello::hello_h>()},
       }},
  });
  if (!routes) {
    std::fprintf(stderr, "rodeo_demo: invalid routes: %s\n", routes.error().c_str());
    return 2;
  }
  auto listen = opts->listen;
  listen.chain = rodeo::mw::default_chain(*routes);
  const std::string host = listen.bind.find(':') != std::string::npos ? "[" + listen.bind + "]"
                                                                       : listen.bind;
  return rodeo::serve(std::move(listen), [host](const rodeo::listener& l) {
    if (l.port())
      std::printf("rodeo_demo: http://%s:%u/ (HTTP/1.1, h2c)\n", host.c_str(), l.port());
    if (l.tls_port())
      std::printf("rodeo_demo: https://%s:%u/ (h2, HTTP/1.1)\n", host.c_str(), l.tls_port());
    std::fflush(stdout);
  });
}
