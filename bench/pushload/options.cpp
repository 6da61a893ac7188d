#include "options.hpp"

#include <getopt.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool to_long(const char* text, long lo, long hi, long& out) {
  errno = 0;
  char* end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < lo || v > hi) return false;
  out = v;
  return true;
}

bool to_seconds(const char* text, double& out) {
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(text, &end);
  if (errno != 0 || end == text || v < 0 || v > 86400) return false;
  // h2load accepts a trailing "s"; so do we.
  if (*end == 's') ++end;
  if (*end != '\0') return false;
  out = v;
  return true;
}

// -H "name: value". The name of a pseudo-header starts with ':', so the separator is the
// first ':' after the first character.
bool parse_header(const std::string& arg, std::pair<std::string, std::string>& out) {
  auto colon = arg.find(':', 1);
  if (colon == std::string::npos || colon == 0) return false;
  std::string name = lower(arg.substr(0, colon));
  std::string value = arg.substr(colon + 1);
  value.erase(0, value.find_first_not_of(" \t"));
  if (name.empty() || name == ":") return false;
  out = {name, value};
  return true;
}

}  // namespace

std::optional<target> parse_url(const std::string& url, std::string& error) {
  target t;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    t.scheme = "http";
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    t.scheme = "https";
    t.tls = true;
    rest = url.substr(8);
  } else {
    error = "URL must start with http:// (h2c prior knowledge) or https:// (TLS): " + url;
    return std::nullopt;
  }
  auto slash = rest.find_first_of("/?");
  t.authority = rest.substr(0, slash);
  t.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (t.path[0] == '?') t.path = "/" + t.path;
  if (t.authority.empty()) {
    error = "URL has no host: " + url;
    return std::nullopt;
  }
  std::string hostport = t.authority;
  if (hostport[0] == '[') {  // [v6]:port
    auto close = hostport.find(']');
    if (close == std::string::npos) {
      error = "bad IPv6 literal in URL: " + url;
      return std::nullopt;
    }
    t.host = hostport.substr(1, close - 1);
    if (close + 1 < hostport.size()) {
      if (hostport[close + 1] != ':') {
        error = "bad authority in URL: " + url;
        return std::nullopt;
      }
      t.port = hostport.substr(close + 2);
    }
  } else {
    auto colon = hostport.rfind(':');
    t.host = hostport.substr(0, colon);
    if (colon != std::string::npos) t.port = hostport.substr(colon + 1);
  }
  if (t.port.empty()) t.port = t.tls ? "443" : "80";
  long port = 0;
  if (!to_long(t.port.c_str(), 1, 65535, port) || t.host.empty()) {
    error = "bad host or port in URL: " + url;
    return std::nullopt;
  }
  return t;
}

std::string usage(const char* argv0) {
  return std::string("usage: ") + argv0 + " [options] URL\n" +
         R"(
Push-aware HTTP/2 and HTTP/3 load generator. Each connection fetches URL over and
over and accepts every server push (SETTINGS_ENABLE_PUSH=1; over HTTP/3, a
MAX_PUSH_ID frame). A page is complete when its response and every push promised
on it have completed.

URL: http://HOST[:PORT][/PATH]   h2c with prior knowledge (RFC 9113 section 3.3)
     https://HOST[:PORT][/PATH]  TLS with ALPN h2, certificate not verified;
                                 with --h3, QUIC with ALPN h3 on that UDP port
     PATH defaults to "/".

options:
  -c N              connections (default 1)
  -m N              page fetches in flight per connection (default 1)
  -t N              threads; connections are spread over them (default 1)
  -D SECONDS        measure for SECONDS (default 10 when -n is not given)
  -n N              fetch N pages in all, then stop (instead of -D)
  --warm-up SECONDS load before the -D window that is not counted (default 0)
  --timeout SECONDS hard stop (default: warm-up + D + 5, or 60 with -n)
  --h3              HTTP/3 (RFC 9114) over QUIC instead of HTTP/2; https:// only
  --no-push         send SETTINGS_ENABLE_PUSH=0 (h3: no MAX_PUSH_ID), for comparison
  --reconnect N     replace a connection (GOAWAY or CONNECTION_CLOSE, then connect)
                    after N pages on it;
                    1 = a cold page load per connection. Servers that push a resource
                    only once per connection need this for their pushes to be measured
                    (default 0: keep connections for the whole run)
  -H 'name: value'  extra request header (repeatable); ':authority: x' replaces ours
  --max-concurrent-streams N
                    our SETTINGS_MAX_CONCURRENT_STREAMS, which bounds open pushes
                    (h3: the server's unidirectional stream limit, plus its 3)
                    (default 1000)
  -w BITS           stream window 2^BITS-1 (SETTINGS_INITIAL_WINDOW_SIZE, default 30;
                    h3: initial_max_stream_data)
  -W BITS           connection window 2^BITS-1 (default 30; h3: initial_max_data)
  -v                log connection events (connect, GOAWAY, errors) to stderr
  -h, --help        this text

The last line of the output is machine-readable:
  pushload: pages=N pages_per_s=X pushed_per_s=X bytes_per_s=X p50_ms=X p99_ms=X failed=N ...
Exit status: 0 when pages completed and none failed, 1 otherwise, 2 for usage errors.
)";
}

parse_result parse_options(int argc, char** argv) {
  enum long_only {
    opt_no_push = 256,
    opt_h3,
    opt_warm_up,
    opt_timeout,
    opt_max_streams,
    opt_reconnect
  };
  static const option longs[] = {
      {"no-push", no_argument, nullptr, opt_no_push},
      {"h3", no_argument, nullptr, opt_h3},
      {"warm-up", required_argument, nullptr, opt_warm_up},
      {"warm-up-time", required_argument, nullptr, opt_warm_up},  // h2load's spelling
      {"timeout", required_argument, nullptr, opt_timeout},
      {"max-concurrent-streams", required_argument, nullptr, opt_max_streams},
      {"reconnect", required_argument, nullptr, opt_reconnect},
      {"help", no_argument, nullptr, 'h'},
      {nullptr, 0, nullptr, 0},
  };
  options o;
  parse_result r;
  auto fail = [&](const std::string& why) {
    r.exit_code = 2;
    r.message = std::string(argv[0]) + ": " + why + "\n(see --help)\n";
    return r;
  };
  bool have_d = false;
  bool have_n = false;
  long v = 0;
  optind = 1;
  opterr = 0;
  int c = 0;
  while ((c = getopt_long(argc, argv, "c:m:t:D:n:H:w:W:vh", longs, nullptr)) != -1) {
    switch (c) {
      case 'c':
        if (!to_long(optarg, 1, 1000000, v)) return fail("-c wants 1..1000000");
        o.connections = static_cast<int>(v);
        break;
      case 'm':
        if (!to_long(optarg, 1, 100000, v)) return fail("-m wants 1..100000");
        o.pages_per_connection = static_cast<int>(v);
        break;
      case 't':
        if (!to_long(optarg, 1, 1024, v)) return fail("-t wants 1..1024");
        o.threads = static_cast<int>(v);
        break;
      case 'D':
        if (!to_seconds(optarg, o.duration_s) || o.duration_s <= 0)
          return fail("-D wants seconds > 0");
        have_d = true;
        break;
      case 'n':
        if (!to_long(optarg, 1, 1L << 40, v)) return fail("-n wants a count >= 1");
        o.total_pages = v;
        have_n = true;
        break;
      case 'H': {
        std::pair<std::string, std::string> h;
        if (!parse_header(optarg, h))
          return fail(std::string("-H wants name:value, got ") + optarg);
        o.headers.push_back(std::move(h));
        break;
      }
      case 'w':
      case 'W':
        if (!to_long(optarg, 16, 30, v)) return fail(std::string("-") + char(c) + " wants 16..30");
        (c == 'w' ? o.window_bits : o.connection_window_bits) = static_cast<int>(v);
        break;
      case 'v':
        o.verbose = true;
        break;
      case 'h':
        r.exit_code = 0;
        r.message = usage(argv[0]);
        return r;
      case opt_no_push:
        o.push = false;
        break;
      case opt_h3:
        o.h3 = true;
        break;
      case opt_warm_up:
        if (!to_seconds(optarg, o.warm_up_s)) return fail("--warm-up wants seconds >= 0");
        break;
      case opt_timeout:
        if (!to_seconds(optarg, o.timeout_s) || o.timeout_s <= 0)
          return fail("--timeout wants seconds > 0");
        break;
      case opt_reconnect:
        if (!to_long(optarg, 0, 1L << 40, v)) return fail("--reconnect wants a count >= 0");
        o.reconnect_after = v;
        break;
      case opt_max_streams:
        if (!to_long(optarg, 1, 0x7fffffff, v)) return fail("--max-concurrent-streams wants >= 1");
        o.max_concurrent_streams = static_cast<std::uint32_t>(v);
        break;
      default:
        return fail(std::string("unknown or incomplete option ") + argv[optind - 1]);
    }
  }
  if (have_d && have_n) return fail("give -D or -n, not both");
  if (have_n && o.warm_up_s > 0) return fail("--warm-up works with -D only");
  if (!have_d && !have_n) o.duration_s = 10;
  if (optind != argc - 1) return fail("exactly one URL expected");
  std::string error;
  auto url = parse_url(argv[optind], error);
  if (!url) return fail(error);
  o.url = *url;
  if (o.h3 && !o.url.tls) return fail("--h3 wants an https:// URL (QUIC always uses TLS 1.3)");
#ifndef PUSHLOAD_H3
  if (o.h3) return fail("--h3: this pushload was built without HTTP/3 (build it with the project)");
#endif
  o.threads = std::min(o.threads, o.connections);
  if (o.timeout_s == 0) o.timeout_s = have_n ? 60 : o.warm_up_s + o.duration_s + 5;
  r.opts = std::move(o);
  return r;
}
