#include "worker.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "connection.hpp"
#ifdef PUSHLOAD_H3
#include "h3_connection.hpp"
#endif
#include "options.hpp"

bool run_plan::pages_exhausted() const {
  return pages_taken.load(std::memory_order_relaxed) >= opts->total_pages;
}

bool worker_context::take_page() {
  if (stopping) return false;
  if (plan.opts->total_pages == 0) return now < plan.window_end;
  return plan.pages_taken.fetch_add(1, std::memory_order_relaxed) < plan.opts->total_pages;
}

std::unique_ptr<load_connection> make_connection(worker_context& ctx, int id) {
#ifdef PUSHLOAD_H3
  if (ctx.plan.opts->h3) return std::make_unique<h3_connection>(ctx, id);
#endif
  return std::make_unique<connection>(ctx, id);
}

worker_result run_worker(run_plan& plan, int first_id, int count, stats& out) {
  worker_context ctx(plan);
  worker_result result;
  ctx.epfd = epoll_create1(EPOLL_CLOEXEC);
  if (ctx.epfd < 0) {
    ctx.st.error("epoll_create1 failed");
    out = std::move(ctx.st);
    result.end = run_clock::now();
    return result;
  }
  const bool by_count = plan.opts->total_pages > 0;
  ctx.now = run_clock::now();
  // HTTP/3 connections have QUIC timers (loss detection, ACK delay) besides their sockets.
  const bool timers = plan.opts->h3;
  std::vector<std::unique_ptr<load_connection>> conns;
  conns.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    conns.push_back(make_connection(ctx, first_id + i));
    conns.back()->start();
  }
  std::vector<epoll_event> events(256);
  for (;;) {
    ctx.now = run_clock::now();
    if (ctx.now >= plan.hard_end) {
      result.timed_out = by_count;
      break;
    }
    if (!by_count && ctx.now >= plan.window_end) break;
    if (by_count && plan.pages_exhausted() &&
        std::none_of(conns.begin(), conns.end(), [](const auto& c) { return c->busy(); }))
      break;
    // Wake at least every 10 ms: reconnect timers and the end of the window.
    auto until = (by_count ? plan.hard_end : plan.window_end) - ctx.now;
    auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(until).count() + 1;
    if (timers) {
      run_clock::time_point next = run_clock::time_point::max();
      for (const auto& c : conns) next = std::min(next, c->next_timer());
      if (next != run_clock::time_point::max()) {
        auto due = std::chrono::ceil<std::chrono::milliseconds>(next - ctx.now).count();
        wait_ms = std::min<long long>(wait_ms, std::max<long long>(due, 0));
      }
    }
    int timeout = static_cast<int>(std::clamp<long long>(wait_ms, 0, 10));
    int n = epoll_wait(ctx.epfd, events.data(), static_cast<int>(events.size()), timeout);
    ctx.now = run_clock::now();
    for (int i = 0; i < n; ++i)
      static_cast<load_connection*>(events[static_cast<std::size_t>(i)].data.ptr)
          ->on_event(events[static_cast<std::size_t>(i)].events);
    if (ctx.reconnects_due > 0 || timers)
      for (auto& c : conns) c->on_timer();
  }
  result.end = ctx.now;
  ctx.stopping = true;
  conns.clear();  // closes every socket before the epoll set goes
  ::close(ctx.epfd);
  out = std::move(ctx.st);
  return result;
}
