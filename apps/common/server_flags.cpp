#include "server_flags.hpp"

#include <charconv>
#include <cstdio>
#include <limits>

namespace apps {

namespace {

constexpr unsigned long max_timeout_seconds = 7 * 24 * 3600;  // a week
constexpr unsigned long max_connections_flag = 1ul << 24;
constexpr std::size_t max_bytes = std::numeric_limits<std::size_t>::max();

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

struct timeout_flag {
  const char* name;
  std::chrono::milliseconds rodeo::listener_options::*member;
  const char* help;  // its last line also takes " (default X)": 80 columns at most
};

const timeout_flag timeout_flags[] = {
    {"--idle-timeout", &rodeo::listener_options::idle_timeout,
     "close a connection idle for S seconds (decimals allowed:\n"
     "                    0.5; the same for every timeout)"},
    {"--request-timeout", &rodeo::listener_options::request_timeout,
     "a new connection's first request head, TLS handshake\n"
     "                    included, within S seconds"},
    {"--header-timeout", &rodeo::listener_options::header_timeout,
     "every later request head within S seconds of its first\n"
     "                    byte"},
    {"--body-timeout", &rodeo::listener_options::body_timeout,
     "a request body stalled for S seconds ends its request\n"
     "                    (408)"},
    {"--send-timeout", &rodeo::listener_options::send_timeout,
     "output stalled for S seconds (a peer that does not read)\n"
     "                    closes the connection"},
    {"--linger-timeout", &rodeo::listener_options::linger_timeout,
     "how long a closing connection may still flush"},
};

struct size_flag {
  const char* name;
  std::size_t rodeo::listener_options::*member;
  const char* help;
};

const size_flag size_flags[] = {
    {"--max-connection-output", &rodeo::listener_options::max_connection_output,
     "output queued on one connection above which its\n"
     "                    producers wait (k, m, g: KiB, MiB, GiB)"},
    {"--output-budget", &rodeo::listener_options::output_budget,
     "output queued on all connections above which\n"
     "                    producers wait"},
};

}  // namespace

rodeo::result<unsigned long> parse_number(const std::string& flag, const std::string& text,
                                          unsigned long max) {
  unsigned long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v > max)
    return rodeo::failure(flag + " takes a number from 0 to " + std::to_string(max) + ", not '" +
                          text + "'");
  return v;
}

rodeo::result<std::chrono::milliseconds> parse_seconds(const std::string& flag,
                                                       const std::string& text) {
  auto bad = [&] {
    return rodeo::failure(flag + " takes seconds above 0, up to " +
                          std::to_string(max_timeout_seconds) +
                          ", decimals allowed (e.g. 0.5), not '" + text + "'");
  };
  // Digits, optionally a point and digits: "30", "0.5", ".5". No sign, no exponent.
  const auto dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  if (dot != std::string::npos && frac.empty()) return bad();
  if (whole.empty() && frac.empty()) return bad();
  if ((!whole.empty() && !all_digits(whole)) || (!frac.empty() && !all_digits(frac))) return bad();
  if (whole.size() > 9) return bad();
  const unsigned long s = whole.empty() ? 0 : std::stoul(whole);
  if (s > max_timeout_seconds) return bad();
  if (frac.size() > 3)
    return rodeo::failure(flag + " takes seconds to the millisecond at most, not '" + text + "'");
  unsigned long ms = 0;
  if (!frac.empty()) ms = std::stoul(frac + std::string(3 - frac.size(), '0'));
  if (s == max_timeout_seconds && ms > 0) return bad();
  if (s == 0 && ms == 0) return bad();  // the listener refuses a zero timeout
  return std::chrono::milliseconds(static_cast<long long>(s) * 1000 + static_cast<long long>(ms));
}

rodeo::result<std::size_t> parse_bytes(const std::string& flag, const std::string& text) {
  auto bad = [&] {
    return rodeo::failure(flag + " takes a size in bytes from 1 (k, m, g: KiB, MiB, GiB), not '" +
                          text + "'");
  };
  std::string digits = text;
  std::size_t unit = 1;
  if (!digits.empty()) {
    switch (digits.back()) {
      case 'k':
      case 'K':
        unit = std::size_t{1} << 10;
        break;
      case 'm':
      case 'M':
        unit = std::size_t{1} << 20;
        break;
      case 'g':
      case 'G':
        unit = std::size_t{1} << 30;
        break;
      default:
        break;
    }
    if (unit != 1) digits.pop_back();
  }
  if (!all_digits(digits)) return bad();
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc{} || end != digits.data() + digits.size() || n == 0 || n > max_bytes / unit)
    return bad();
  return n * unit;
}

std::string format_seconds(std::chrono::milliseconds d) {
  const auto ms = d.count();
  std::string out = std::to_string(ms / 1000);
  if (ms % 1000 != 0) {
    std::string frac = std::to_string(ms % 1000);
    frac.insert(0, 3 - frac.size(), '0');
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out;
}

std::string format_bytes(std::size_t n) {
  static const char* const units[] = {"g", "m", "k"};
  for (int i = 0; i < 3; ++i) {
    const std::size_t unit = std::size_t{1} << (10 * (3 - i));
    if (n != 0 && n % unit == 0) return std::to_string(n / unit) + units[i];
  }
  return std::to_string(n);
}

rodeo::result<bool> take_server_flag(const std::vector<std::string>& args, std::size_t& i,
                                     rodeo::listener_options& opts) {
  const std::string& a = args[i];
  if (a == "--quiet") {
    opts.access_log = false;
    return true;
  }
  if (a == "--no-quic") {
    opts.quic = false;
    return true;
  }
  static const char* const with_value[] = {"--port",
                                           "--tls-port",
                                           "--bind",
                                           "--cert",
                                           "--key",
                                           "--threads",
                                           "--max-connections",
                                           "--quic-port",
                                           "--actor-placement",
                                           "--quic-retry"};
  bool known = false;
  for (const char* f : with_value) known = known || a == f;
  for (const auto& t : timeout_flags) known = known || a == t.name;
  for (const auto& s : size_flags) known = known || a == s.name;
  if (!known) return false;
  if (i + 1 >= args.size()) return rodeo::failure("flag " + a + " needs a value (see --help)");
  const std::string& v = args[++i];
  for (const auto& t : timeout_flags) {
    if (a != t.name) continue;
    auto d = parse_seconds(a, v);
    if (!d) return rodeo::failure(d.error());
    opts.*t.member = *d;
    return true;
  }
  for (const auto& s : size_flags) {
    if (a != s.name) continue;
    auto n = parse_bytes(a, v);
    if (!n) return rodeo::failure(n.error());
    opts.*s.member = *n;
    return true;
  }
  if (a == "--quic-port") {
    auto n = parse_number(a, v, 65535);
    if (!n) return rodeo::failure(n.error());
    opts.quic_port = static_cast<std::uint16_t>(*n);
  } else if (a == "--port" || a == "--tls-port") {
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
  } else if (a == "--quic-retry") {
    auto r = rodeo::parse_quic_retry(v);
    if (!r)
      return rodeo::failure("--quic-retry takes always, never or under_load, not '" + v + "'");
    opts.quic_retry = *r;
  } else if (a == "--actor-placement") {
    auto p = rodeo::parse_actor_placement(v);
    if (!p) return rodeo::failure("--actor-placement takes workers or io_thread, not '" + v + "'");
    opts.actor_placement = *p;
  } else if (a == "--max-connections") {
    auto n = parse_number(a, v, max_connections_flag);
    if (!n) return rodeo::failure(n.error());
    opts.max_connections = *n;
  } else {  // --threads
    auto n = parse_number(a, v, 256);
    if (!n || *n == 0)
      return rodeo::failure("--threads takes a number from 1 to 256, not '" + v + "'");
    opts.io_threads = static_cast<unsigned>(*n);
  }
  return true;
}

std::string server_flags_usage(std::uint16_t default_port, std::uint16_t default_tls_port) {
  const rodeo::listener_options defaults;
  std::string out =
      "  --port N          clear-text port, HTTP/1.1 and h2c (default " +
      std::to_string(default_port) +
      "; 0 picks a free port;\n"
      "                    \"off\" disables)\n"
      "  --tls-port N      TLS port, h2 and HTTP/1.1 by ALPN (default " +
      std::to_string(default_tls_port) +
      "; 0 picks a free\n"
      "                    port; \"off\" disables)\n"
      "  --quic-port N     QUIC (UDP) port for HTTP/3 (default: the TLS port's number;\n"
      "                    0 picks a free port)\n"
      "  --no-quic         no HTTP/3 listener\n"
      "  --quic-retry always|never|under_load\n"
      "                    validate QUIC clients' addresses with a Retry first: always,\n"
      "                    never, or under_load (default: beyond " +
      std::to_string(defaults.quic_retry_handshakes) +
      " handshakes in progress)\n"
      "  --bind ADDR       address to listen on (default 127.0.0.1; 0.0.0.0 or :: for all)\n"
      "  --cert FILE       TLS certificate chain (PEM); without --cert/--key a self-signed\n"
      "                    certificate for localhost is made at start\n"
      "  --key FILE        TLS private key (PEM)\n"
      "  --threads N       I/O threads, 1 to 256 (default 1); request actors run on CAF's\n"
      "                    workers, one per core\n"
      "  --actor-placement workers|io_thread\n"
      "                    where request actors run: CAF's workers (default), or the io\n"
      "                    thread of their connection (no thread hand-off per request)\n"
      "  --quiet           no access log (one line per request on stdout)\n";
  for (const auto& t : timeout_flags) {
    out += "  " + std::string(t.name) + " S\n                    " + t.help + " (default " +
           format_seconds(defaults.*t.member) + ")\n";
  }
  out +=
      "  --max-connections N\n"
      "                    connections open at most; new ones beyond are closed at once\n"
      "                    (default 0: the descriptor limit less 5%, at least 32 less)\n";
  for (const auto& s : size_flags) {
    out += "  " + std::string(s.name) + " BYTES\n                    " + s.help + " (default " +
           format_bytes(defaults.*s.member) + ")\n";
  }
  return out;
}

void print_listening(const std::string& program, const std::string& bind,
                     const rodeo::listener& l) {
  // An IPv6 literal needs brackets in a URL (RFC 3986 §3.2.2).
  const std::string host = bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
  if (l.port())
    std::printf("%s: http://%s:%u/ (HTTP/1.1, h2c)\n", program.c_str(), host.c_str(), l.port());
  if (l.tls_port())
    std::printf("%s: https://%s:%u/ (h2, HTTP/1.1)\n", program.c_str(), host.c_str(), l.tls_port());
  if (l.quic_port())
    std::printf("%s: https://%s:%u/ (h3, QUIC on UDP)\n", program.c_str(), host.c_str(),
                l.quic_port());
  std::fflush(stdout);
}

}  // namespace apps
