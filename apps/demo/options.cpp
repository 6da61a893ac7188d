#include "options.hpp"

#include "server_flags.hpp"

namespace demo {

std::string usage() {
  return "usage: rodeo_demo [options]\n"
         "\n"
         "Serves the Rodeo demo site over HTTP/1.1 and h2c (clear text) and h2/HTTP/1.1 over TLS:\n"
         "/ (the page, pushing its assets), /clock (an SSE page), /events (the SSE clock),\n"
         "/hello[/NAME], /push-info (JSON), /static/... (the site's files).\n"
         "\n" +
         apps::server_flags_usage(8080, 8443) +
         "  --root DIR        serve DIR at / instead of the built-in site: DIR/index.html at /,\n"
         "                    every file of DIR by its path; DIR/push.map says what to push,\n"
         "                    else / pushes the stylesheets, scripts and images index.html\n"
         "                    references by absolute path\n"
         "  --dotfiles        serve hidden files (a path segment starting with '.', e.g.\n"
         "                    /.git/config, /.env); default: 404, but /.well-known/ is served\n"
         "  --think-ms N      the built-in site's pages push their assets, then wait N ms\n"
         "                    before answering (server think time: pushes and early hints\n"
         "                    use it); default 0\n"
         "  --push-policy P   how pushes are delivered: push_or_hint (default: push, or a\n"
         "                    103 early hint to a client that takes no push), push_only,\n"
         "                    hint_only, or off (neither push nor hint)\n"
         "  --help            this text\n";
}

rodeo::result<options> parse_options(const std::vector<std::string>& args) {
  options o;
  o.listen.port = 8080;
  o.listen.tls_port = 8443;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto shared = apps::take_server_flag(args, i, o.listen);
    if (!shared) return rodeo::failure(shared.error());
    if (*shared) continue;
    if (a == "--help" || a == "-h") {
      o.help = true;
    } else if (a == "--dotfiles") {
      o.dotfiles = true;
    } else if (a == "--root") {
      if (i + 1 >= args.size()) return rodeo::failure("flag --root needs a value (see --help)");
      o.root = args[++i];
      if (o.root.empty()) return rodeo::failure("--root takes a directory, not ''");
    } else if (a == "--think-ms") {
      if (i + 1 >= args.size()) return rodeo::failure("flag --think-ms needs a value (see --help)");
      const std::string& v = args[++i];
      if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos)
        return rodeo::failure("--think-ms takes milliseconds (0 to 999999), not '" + v + "'");
      o.think = std::chrono::milliseconds(std::stoul(v));
    } else if (a == "--push-policy") {
      if (i + 1 >= args.size())
        return rodeo::failure("flag --push-policy needs a value (see --help)");
      const std::string& v = args[++i];
      bool known = false;
      for (auto p : {rodeo::push_policy::push_or_hint, rodeo::push_policy::push_only,
                     rodeo::push_policy::hint_only, rodeo::push_policy::off})
        if (v == rodeo::to_string(p)) {
          o.listen.push_policy = p;
          known = true;
        }
      if (!known)
        return rodeo::failure(
            "--push-policy takes push_or_hint, push_only, hint_only or off, not '" + v + "'");
    } else if (a.rfind("--", 0) == 0) {
      return rodeo::failure("unknown flag '" + a + "' (see --help)");
    } else {
      return rodeo::failure("unknown argument '" + a + "' (see --help)");
    }
  }
  return o;
}

}  // namespace demo
