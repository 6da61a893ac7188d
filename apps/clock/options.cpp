#include "options.hpp"

#include "server_flags.hpp"

namespace clock_app {

namespace {
constexpr std::uint16_t default_port = 8081;
constexpr std::uint16_t default_tls_port = 8444;
}  // namespace

std::string usage() {
  return "usage: rodeo_clock [options]\n"
         "\n"
         "Loop handlers at work:\n"
         "  GET  /clock          server-sent events: the time, every second, until you leave\n"
         "  GET  /clock/clients  how many clocks are open\n"
         "  GET  /chat/wait      long polling: waits (up to 30 s) for the next message\n"
         "  POST /chat/say       the body goes to every waiting /chat/wait\n"
         "\n" +
         apps::server_flags_usage(default_port, default_tls_port) +
         "  --help            this text\n";
}

rodeo::result<options> parse_options(const std::vector<std::string>& args) {
  options o;
  o.listen.port = default_port;
  o.listen.tls_port = default_tls_port;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      o.help = true;
      continue;
    }
    auto taken = apps::take_server_flag(args, i, o.listen);
    if (!taken) return rodeo::failure(taken.error());
    if (!*taken) return rodeo::failure("unknown argument '" + a + "' (see --help)");
  }
  return o;
}

}  // namespace clock_app
