// pushload: a push-aware HTTP/2 load generator (h2load always sends ENABLE_PUSH=0).
// Resolves the target, starts -t worker threads over -c connections, merges their
// stats and prints the report; see --help.
#include <netdb.h>
#include <openssl/ssl.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>

#include "options.hpp"
#include "stats.hpp"
#include "transport.hpp"
#include "worker.hpp"

namespace {

nghttp2_nv make_nv(const std::pair<std::string, std::string>& h) {
  // The strings live in run_plan for the whole run, so nghttp2 need not copy them.
  return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(h.first.data())),
          reinterpret_cast<std::uint8_t*>(const_cast<char*>(h.second.data())), h.first.size(),
          h.second.size(), NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE};
}

// Pseudo-headers first (RFC 9113 section 8.3); a -H pseudo-header replaces ours.
void build_request(const options& o, run_plan& plan) {
  auto& hs = plan.request_headers;
  hs = {{":method", "GET"},
        {":scheme", o.url.scheme},
        {":authority", o.url.authority},
        {":path", o.url.path},
        {"user-agent", "pushload"}};
  for (const auto& [name, value] : o.headers) {
    bool replaced = false;
    for (auto& h : hs) {
      if (h.first == name && (name[0] == ':' || name == "user-agent")) {
        h.second = value;
        replaced = true;
      }
    }
    if (!replaced) hs.emplace_back(name, value);
  }
  for (const auto& h : hs) plan.nva.push_back(make_nv(h));
}

bool resolve(const target& url, run_plan& plan) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rv = getaddrinfo(url.host.c_str(), url.port.c_str(), &hints, &res);
  if (rv != 0 || res == nullptr) {
    std::fprintf(stderr, "pushload: cannot resolve %s: %s\n", url.host.c_str(), gai_strerror(rv));
    return false;
  }
  std::memcpy(&plan.addr, res->ai_addr, res->ai_addrlen);
  plan.addr_len = res->ai_addrlen;
  freeaddrinfo(res);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  parse_result parsed = parse_options(argc, argv);
  if (!parsed.opts) {
    std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code;
  }
  const options& o = *parsed.opts;
  // A server that closes mid-write must not kill us (TLS writes go through write(2)).
  std::signal(SIGPIPE, SIG_IGN);

  run_plan plan;
  plan.opts = &o;
  if (!resolve(o.url, plan)) return 1;
  build_request(o, plan);
  if (o.url.tls) {
    plan.tls = make_client_tls_context();
    if (plan.tls == nullptr) {
      std::fprintf(stderr, "pushload: cannot create the TLS context\n");
      return 1;
    }
  }

  using secs = std::chrono::duration<double>;
  plan.start = run_clock::now();
  plan.hard_end = plan.start + std::chrono::duration_cast<run_clock::duration>(secs(o.timeout_s));
  if (o.total_pages > 0) {
    plan.window_start = plan.start;
    plan.window_end = plan.hard_end;
  } else {
    plan.window_start =
        plan.start + std::chrono::duration_cast<run_clock::duration>(secs(o.warm_up_s));
    plan.window_end =
        plan.window_start + std::chrono::duration_cast<run_clock::duration>(secs(o.duration_s));
  }

  const int nthreads = o.threads;
  std::vector<stats> per_thread(static_cast<std::size_t>(nthreads));
  std::vector<worker_result> results(static_cast<std::size_t>(nthreads));
  std::vector<std::thread> threads;
  int next_id = 0;
  for (int t = 0; t < nthreads; ++t) {
    int count = o.connections / nthreads + (t < o.connections % nthreads ? 1 : 0);
    auto i = static_cast<std::size_t>(t);
    threads.emplace_back([&plan, &per_thread, &results, i, next_id, count] {
      results[i] = run_worker(plan, next_id, count, per_thread[i]);
    });
    next_id += count;
  }
  for (auto& th : threads) th.join();

  stats total;
  bool timed_out = false;
  run_clock::time_point last_end = plan.start;
  for (std::size_t i = 0; i < per_thread.size(); ++i) {
    total.merge(per_thread[i]);
    timed_out = timed_out || results[i].timed_out;
    last_end = std::max(last_end, results[i].end);
  }
  double elapsed = o.total_pages > 0 ? secs(last_end - plan.start).count() : o.duration_s;
  print_report(o, total, elapsed, timed_out);
  if (plan.tls != nullptr) SSL_CTX_free(plan.tls);
  return total.pages > 0 && total.pages_failed == 0 && !timed_out ? 0 : 1;
}
