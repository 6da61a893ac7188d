// rodeo_file_server: `python3 -m http.server` with HTTP/2 and push manifests. Every path is
// a file under --root (rodeo::static_dir); a push.map there lists what each page pushes.
#include <sys/stat.h>

#include <cstdio>
#include <stdexcept>

#include "options.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/mw/static/static.hpp"
#include "rodeo/router/compile.hpp"
#include "rodeo/runtime.hpp"
#include "server_flags.hpp"

int main(int argc, char** argv) {
  auto opts = file_server::parse_options({argv + 1, argv + argc});
  if (!opts) {
    std::fprintf(stderr, "rodeo_file_server: %s\n", opts.error().c_str());
    return 2;
  }
  if (opts->help) {
    std::fputs(file_server::usage().c_str(), stdout);
    return 0;
  }
  struct stat st {};
  if (::stat(opts->root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    std::fprintf(stderr, "rodeo_file_server: --root %s is not a directory\n", opts->root.c_str());
    return 2;
  }
  rodeo::static_options files;
  files.listing = opts->listing;
  files.cache_control = opts->cache_control;
  files.push = opts->push;
  files.dotfiles = opts->dotfiles;
  rodeo::result<rodeo::router::routes> routes = rodeo::failure("");
  try {
    routes = rodeo::router::compile({{"_", {{"/[...]", rodeo::static_dir(opts->root, files)}}}});
  } catch (const std::invalid_argument& e) {  // a malformed push.map
    std::fprintf(stderr, "rodeo_file_server: %s\n", e.what());
    return 2;
  }
  if (!routes) {
    std::fprintf(stderr, "rodeo_file_server: invalid routes: %s\n", routes.error().c_str());
    return 2;
  }
  auto listen = opts->listen;
  listen.chain = rodeo::mw::default_chain(*routes);
  const std::string bind = listen.bind;
  return rodeo::serve(std::move(listen), [bind](const rodeo::listener& l) {
    apps::print_listening("rodeo_file_server", bind, l);
  });
}
