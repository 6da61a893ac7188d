// One pushload thread: an epoll loop over its share of the connections.
#pragma once

#include <nghttp2/nghttp2.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "stats.hpp"

struct options;

using run_clock = std::chrono::steady_clock;

/// The run as every worker sees it. Read-only once the workers start, except `pages_taken`.
struct run_plan {
  const options* opts = nullptr;
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
  SSL_CTX* tls = nullptr;  ///< null for h2c
  /// The request's header fields; `nva` points into them.
  std::vector<std::pair<std::string, std::string>> request_headers;
  std::vector<nghttp2_nv> nva;
  run_clock::time_point start;               ///< workers start connecting
  run_clock::time_point window_start;        ///< end of warm-up: counting starts
  run_clock::time_point window_end;          ///< counting stops (-D); hard_end with -n
  run_clock::time_point hard_end;            ///< everything stops
  std::atomic<std::int64_t> pages_taken{0};  ///< -n: pages handed out so far

  /// With -n: true once every page has been handed out.
  bool pages_exhausted() const;
};

/// One thread's state, shared by its connections. Touched only by that thread.
struct worker_context {
  explicit worker_context(run_plan& p) : plan(p) {}

  run_plan& plan;
  int epfd = -1;
  stats st;
  run_clock::time_point now;  ///< refreshed after every epoll_wait
  bool stopping = false;      ///< the run is over: nothing more is counted
  int reconnects_due = 0;     ///< connections waiting to reconnect
  std::array<std::uint8_t, 65536> read_buf{};

  /// True when an event at `t` belongs to the measurement window.
  bool counts(run_clock::time_point t) const {
    return !stopping && t >= plan.window_start && t <= plan.window_end;
  }
  /// May one more page start? -D: until the window ends. -n: while pages are left.
  bool take_page();
};

/// What a worker reports besides its stats.
struct worker_result {
  run_clock::time_point end;  ///< when its loop ended
  bool timed_out = false;     ///< the hard stop ended it with work left (-n)
};

/// Runs connections [first_id, first_id + count) on the calling thread until the plan ends.
worker_result run_worker(run_plan& plan, int first_id, int count, stats& out);
