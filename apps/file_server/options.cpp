#include "options.hpp"

#include "server_flags.hpp"

namespace file_server {

std::string usage() {
  return "usage: rodeo_file_server [options]\n"
         "\n"
         "Serves the files of a directory over HTTP/1.1 and h2c (clear text) and h2/HTTP/1.1\n"
         "over TLS: GET and HEAD, ETag and Last-Modified with 304, single ranges (206), .br/.gz\n"
         "variants beside a file, never a file outside the root. A push.map in the root\n"
         "lists what each page pushes over HTTP/2 (see docs/static.md).\n"
         "\n"
         "  --root DIR        the directory to serve (default: the current directory)\n" +
         apps::server_flags_usage(8000, 8443) +
         "  --listing         list directories that have no index.html (default: 404)\n"
         "  --cache-control V the cache-control field of 200, 206 and 304 responses, e.g.\n"
         "                    \"public, max-age=3600\" (default: none)\n"
         "  --no-push         ignore push.map: never push (the manifest is then served as a file)\n"
         "  --dotfiles        serve hidden files (a path segment starting with '.', e.g.\n"
         "                    /.git/config, /.env); default: 404, but /.well-known/ is served\n"
         "  --help            this text\n";
}

rodeo::result<options> parse_options(const std::vector<std::string>& args) {
  options o;
  o.listen.port = 8000;
  o.listen.tls_port = 8443;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto shared = apps::take_server_flag(args, i, o.listen);
    if (!shared) return rodeo::failure(shared.error());
    if (*shared) continue;
    if (a == "--help" || a == "-h") {
      o.help = true;
    } else if (a == "--listing") {
      o.listing = true;
    } else if (a == "--dotfiles") {
      o.dotfiles = true;
    } else if (a == "--no-push") {
      o.push = false;
    } else if (a == "--root" || a == "--cache-control") {
      if (i + 1 >= args.size()) return rodeo::failure("flag " + a + " needs a value (see --help)");
      const std::string& v = args[++i];
      if (a == "--root") {
        if (v.empty()) return rodeo::failure("--root takes a directory, not ''");
        o.root = v;
      } else {
        // A field value may not hold CR, LF or NUL (RFC 9110 §5.5).
        if (v.find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
          return rodeo::failure("--cache-control may not contain CR, LF or NUL");
        o.cache_control = v;
      }
    } else if (a.rfind("-", 0) == 0) {
      return rodeo::failure("unknown flag '" + a + "' (see --help)");
    } else {
      return rodeo::failure("unknown argument '" + a + "' (see --help)");
    }
  }
  return o;
}

}  // namespace file_server
