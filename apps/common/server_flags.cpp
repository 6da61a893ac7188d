#include "server_flags.hpp"

#include <charconv>
#include <cstdio>

namespace apps {

rodeo::result<unsigned long> parse_number(const std::string& flag, const std::string& text,
                                          unsigned long max) {
  unsigned long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v > max)
    return rodeo::failure(flag + " takes a number from 0 to " + std::to_string(max) + ", not '" +
                          text + "'");
  return v;
}

rodeo::result<bool> take_server_flag(const std::vector<std::string>& args, std::size_t& i,
                                     rodeo::listener_options& opts) {
  const std::string& a = args[i];
  if (a == "--quiet") {
    opts.access_log = false;
    return true;
  }
  static const char* const with_value[] = {"--port", "--tls-port", "--bind",
                                           "--cert", "--key",      "--threads"};
  bool known = false;
  for (const char* f : with_value) known = known || a == f;
  if (!known) return false;
  if (i + 1 >= args.size()) return rodeo::failure("flag " + a + " needs a value (see --help)");
  const std::string& v = args[++i];
  if (a == "--port" || a == "--tls-port") {
    auto& slot = a == "--port" ? opts.port : opts.tls_port;
    if (v == "off") {
      slot.reset();
      return true;
    }
    auto n = parse_number(a, v, 65535);
    if (!n) return rodeo::failure(n.error());
    slot = static_cast<std::uint16_t>(*n);
  } else if (a == "--bind") {
    opts.bind = v;
  } else if (a == "--cert") {
    opts.cert_file = v;
  } else if (a == "--key") {
    opts.key_file = v;
  } else {  // --threads
    auto n = parse_number(a, v, 256);
    if (!n || *n == 0)
      return rodeo::failure("--threads takes a number from 1 to 256, not '" + v + "'");
    opts.io_threads = static_cast<unsigned>(*n);
  }
  return true;
}

std::string server_flags_usage(std::uint16_t default_port, std::uint16_t default_tls_port) {
  return "  --port N          clear-text port, HTTP/1.1 and h2c (default " +
         std::to_string(default_port) +
         "; 0 picks a free port;\n"
         "                    \"off\" disables)\n"
         "  --tls-port N      TLS port, h2 and HTTP/1.1 by ALPN (default " +
         std::to_string(default_tls_port) +
         "; 0 picks a free\n"
         "                    port; \"off\" disables)\n"
         "  --bind ADDR       address to listen on (default 127.0.0.1; 0.0.0.0 or :: for all)\n"
         "  --cert FILE       TLS certificate chain (PEM); without --cert/--key a self-signed\n"
         "                    certificate for localhost is made at start\n"
         "  --key FILE        TLS private key (PEM)\n"
         "  --threads N       I/O threads, 1 to 256 (default 1); request actors run on CAF's\n"
         "                    workers, one per core\n"
         "  --quiet           no access log (one line per request on stdout)\n";
}

void print_listening(const std::string& program, const std::string& bind,
                     const rodeo::listener& l) {
  // An IPv6 literal needs brackets in a URL (RFC 3986 §3.2.2).
  const std::string host = bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
  if (l.port())
    std::printf("%s: http://%s:%u/ (HTTP/1.1, h2c)\n", program.c_str(), host.c_str(), l.port());
  if (l.tls_port())
    std::printf("%s: https://%s:%u/ (h2, HTTP/1.1)\n", program.c_str(), host.c_str(),
                l.tls_port());
  std::fflush(stdout);
}

}  // namespace apps
