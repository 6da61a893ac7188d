#include "options.hpp"

#include <charconv>

namespace demo {

namespace {

rodeo::result<unsigned long> number(const std::string& flag, const std::string& text,
                                    unsigned long max) {
  unsigned long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v > max)
    return rodeo::failure(flag + " takes a number from 0 to " + std::to_string(max) + ", not '" +
                          text + "'");
  return v;
}

}  // namespace

std::string usage() {
  return R"(usage: rodeo_demo [options]

Serves the Rodeo demo over HTTP/1.1 and h2c (clear text) and h2/HTTP/1.1 over TLS.

  --port N        clear-text port (default 8080; 0 picks a free port; "off" disables)
  --tls-port N    TLS port (default 8443; 0 picks a free port; "off" disables)
  --bind ADDR     address to listen on (default 127.0.0.1)
  --cert FILE     TLS certificate chain (PEM); without --cert/--key a self-signed
                  certificate for localhost is made at start
  --key FILE      TLS private key (PEM)
  --threads N     I/O threads (default 1); request actors run on CAF's workers
  --root DIR      serve DIR as the site instead of the built-in demo site
  --quiet         no access log
  --help          this text
)";
}

rodeo::result<options> parse_options(const std::vector<std::string>& args) {
  options o;
  o.listen.port = 8080;
  o.listen.tls_port = 8443;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      o.help = true;
      continue;
    }
    if (a == "--quiet") {
      o.listen.access_log = false;
      continue;
    }
    if (i + 1 >= args.size()) {
      if (a.rfind("--", 0) == 0)
        return rodeo::failure("flag " + a + " needs a value (see --help)");
      return rodeo::failure("unknown argument '" + a + "' (see --help)");
    }
    const std::string& v = args[++i];
    if (a == "--port" || a == "--tls-port") {
      auto& slot = a == "--port" ? o.listen.port : o.listen.tls_port;
      if (v == "off") {
        slot.reset();
        continue;
      }
      auto n = number(a, v, 65535);
      if (!n) return rodeo::failure(n.error());
      slot = static_cast<std::uint16_t>(*n);
    } else if (a == "--bind") {
      o.listen.bind = v;
    } else if (a == "--cert") {
      o.listen.cert_file = v;
    } else if (a == "--key") {
      o.listen.key_file = v;
    } else if (a == "--threads") {
      auto n = number(a, v, 256);
      if (!n || *n == 0) return rodeo::failure("--threads takes a number from 1 to 256, not '" + v + "'");
      o.listen.io_threads = static_cast<unsigned>(*n);
    } else if (a == "--root") {
      o.root = v;
    } else {
      return rodeo::failure("unknown flag '" + a + "' (see --help)");
    }
  }
  return o;
}

}  // namespace demo
