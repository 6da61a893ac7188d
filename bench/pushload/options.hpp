// pushload command line: what to fetch, how hard, for how long.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

/// The URL every connection fetches, split into what HTTP/2 and the socket need.
struct target {
  bool tls = false;       ///< https:// (TLS + ALPN h2) rather than http:// (h2c prior knowledge)
  std::string scheme;     ///< "http" or "https", the :scheme pseudo-header
  std::string host;       ///< host name or address, without IPv6 brackets
  std::string port;       ///< service for getaddrinfo (default 80 / 443)
  std::string authority;  ///< :authority, as written in the URL
  std::string path;       ///< :path, "/" when the URL has none (query kept)
};

/// Everything the command line sets. Defaults match --help.
struct options {
  target url;
  int connections = 1;           ///< -c: concurrent connections
  int pages_per_connection = 1;  ///< -m: page fetches in flight per connection
  int threads = 1;               ///< -t: worker threads (connections are spread over them)
  double duration_s = 0;         ///< -D: measurement window (0 when -n is used)
  std::int64_t total_pages = 0;  ///< -n: pages to fetch in all (0 when -D is used)
  double warm_up_s = 0;          ///< --warm-up: discarded time before the -D window
  double timeout_s = 0;          ///< --timeout: hard stop; 0 = derived from -D or -n
  bool push = true;  ///< false with --no-push: SETTINGS_ENABLE_PUSH=0 (h3: no MAX_PUSH_ID)
  bool h3 = false;   ///< --h3: HTTP/3 over QUIC on the URL's (UDP) port
  std::uint32_t max_concurrent_streams = 1000;  ///< our SETTINGS_MAX_CONCURRENT_STREAMS
  int window_bits = 30;                         ///< -w: SETTINGS_INITIAL_WINDOW_SIZE = 2^w - 1
  int connection_window_bits = 30;              ///< -W: connection window = 2^W - 1
  /// --reconnect: pages per connection before it is replaced by a new one (0 = never).
  /// 1 makes every page a cold load, which servers that push a resource only once per
  /// connection (h2o, and Rodeo's push contract) need for their pushes to be measured.
  std::int64_t reconnect_after = 0;
  bool verbose = false;  ///< -v: log connection events to stderr
  /// -H name:value, names lower-cased. A pseudo-header (":authority") replaces ours.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Outcome of parsing: options, or exit now with `exit_code` after printing `message`
/// (usage on --help with code 0, an error with code 2).
struct parse_result {
  std::optional<options> opts;
  int exit_code = 0;
  std::string message;
};

/// Parses argv. Never exits the process itself.
parse_result parse_options(int argc, char** argv);

/// Splits an http:// or https:// URL. Returns nullopt (and sets `error`) for anything else.
std::optional<target> parse_url(const std::string& url, std::string& error);

/// The --help text.
std::string usage(const char* argv0);
