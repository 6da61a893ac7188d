// The Rodeo demo: what ./scripts/demo serves. A small site about Rodeo whose page pushes its
// assets (apps/demo/site/push.map), an SSE clock, /hello, and /push-info; or, with --root,
// any directory with the same push behaviour (the benchmarks' fixture site).
#include <cstdio>
#include <memory>

#include "options.hpp"
#include "rodeo/metrics_handler.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/mw/preload_push.hpp"
#include "rodeo/router/compile.hpp"
#include "rodeo/runtime.hpp"
#include "rodeo/stream_handlers/compress_stream_h.hpp"
#include "server_flags.hpp"
#include "site.hpp"

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
  auto slot = std::make_shared<demo::metrics_slot>();
  rodeo::result<demo::site_routes> site = rodeo::failure("");
  if (!opts->root.empty()) {
    site = demo::root_routes(opts->root, slot, opts->dotfiles);
  } else {
    const auto dir = demo::builtin_site();
    site = dir.empty()
               ? rodeo::failure("the built-in site is missing; serve a directory with --root")
               : demo::builtin_routes(dir, slot, opts->dotfiles, opts->think);
  }
  if (!site) {
    std::fprintf(stderr, "rodeo_demo: %s\n", site.error().c_str());
    return 2;
  }
  // The listener feeds this registry; /metrics serves it (Prometheus text format). First, in
  // front of a --root site's catch-all route.
  auto metrics = std::make_shared<rodeo::metrics_registry>();
  site->paths.insert(site->paths.begin(), {"/metrics", rodeo::metrics_handler(metrics)});
  auto routes = rodeo::router::compile({{"_", site->paths}});
  if (!routes) {
    std::fprintf(stderr, "rodeo_demo: invalid routes: %s\n", routes.error().c_str());
    return 2;
  }
  auto listen = opts->listen;
  listen.metrics = metrics;
  listen.chain = rodeo::mw::default_chain(*routes);
  listen.server_header = "rodeo";
  // Preload links of the responses become pushes (docs/push.md, "Preload links").
  listen.chain.insert(listen.chain.begin(), rodeo::mw::preload_push());
  // gzip/br for the pages, the API answers and the SSE clock (precompressed files and images
  // are left as they are).
  listen.stream_handlers.push_back(rodeo::compress_stream_h());
  const std::string bind = listen.bind;
  return rodeo::serve(std::move(listen), [slot, bind](const rodeo::listener& l) {
    // The listener owns its metrics and outlives every request: /push-info may read them.
    slot->metrics.store(&l.push_metrics());
    apps::print_listening("rodeo_demo", bind, l);
  });
}
