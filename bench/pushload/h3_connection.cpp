#include "h3_connection.hpp"

#include <arpa/inet.h>
#include <sys/epoll.h>

#include <cstdio>

#include "options.hpp"

namespace {

constexpr auto error_backoff = std::chrono::milliseconds(100);
// RFC 9114 §8.1 H3_REQUEST_REJECTED: the server did not process the request, so it is safe
// to send it again (§4.1.1).
constexpr std::uint64_t h3_request_rejected = 0x10b;
// The highest push ID we allow (RFC 9114 §7.2.7). Rodeo pushes a resource once per
// connection, so this is never reached in practice; it only has to be "unlimited".
constexpr std::uint64_t max_push_id = (std::uint64_t{1} << 32) - 1;

double ms_between(run_clock::time_point a, run_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

bool is_address(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// The status a :status field carries, -1 for any other field. Interim 1xx responses (RFC 9110 §15.2) are
// replaced by the final one by the caller.
int status_of(const rodeo::test::h3::field& f) {
  if (f.name != ":status") return -1;
  int status = 0;
  for (char ch : f.value) {
    if (ch < '0' || ch > '9') break;
    status = status * 10 + (ch - '0');
  }
  return status;
}

}  // namespace

h3_connection::h3_connection(worker_context& ctx, int id) : ctx_(ctx), id_(id) {
  for (const auto& [name, value] : ctx_.plan.request_headers) request_.push_back({name, value});
}

h3_connection::~h3_connection() { stop(); }

void h3_connection::log(const std::string& what) const {
  if (ctx_.plan.opts->verbose)
    std::fprintf(stderr, "pushload: h3 conn %d: %s\n", id_, what.c_str());
}

void h3_connection::watch() {
  std::uint32_t events = EPOLLIN | (session_->wants_write() ? EPOLLOUT : 0u);
  if (registered_ && events == watching_) return;
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = static_cast<load_connection*>(this);  // the worker casts it back to that
  epoll_ctl(ctx_.epfd, registered_ ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, session_->fd(), &ev);
  registered_ = true;
  watching_ = events;
}

void h3_connection::start() {
  if (phase_ == phase::waiting) --ctx_.reconnects_due;
  phase_ = phase::idle;
  goaway_ = false;
  issued_ = 0;
  registered_ = false;
  const run_plan& p = ctx_.plan;
  const options& o = *p.opts;
  rodeo::test::h3::session_options so;
  if (!is_address(o.url.host)) so.server_name = o.url.host;
  if (o.push) so.max_push_id = max_push_id;
  // The server's critical streams (control, QPACK encoder and decoder) plus its pushes.
  so.max_streams_uni = 3 + std::uint64_t{o.max_concurrent_streams};
  so.stream_window = (std::uint64_t{1} << o.window_bits) - 1;
  so.connection_window = (std::uint64_t{1} << o.connection_window_bits) - 1;
  session_ = std::make_unique<rodeo::test::h3::session>(
      so, static_cast<rodeo::test::h3::session_handler&>(*this));
  if (!session_->open(reinterpret_cast<const sockaddr*>(&p.addr), p.addr_len)) {
    drop(session_->failure(), true);
    return;
  }
  phase_ = phase::handshake;
  session_->flush();
  after_io();
}

void h3_connection::on_timer() {
  if (phase_ == phase::waiting) {
    if (ctx_.now >= reconnect_at_ && !ctx_.stopping) start();
    return;
  }
  if (!session_ || session_->next_timer() > ctx_.now) return;
  session_->on_timer();
  after_io();
}

run_clock::time_point h3_connection::next_timer() const {
  if (phase_ == phase::waiting) return reconnect_at_;
  return session_ ? session_->next_timer() : run_clock::time_point::max();
}

void h3_connection::stop() {
  if (registered_ && session_) epoll_ctl(ctx_.epfd, EPOLL_CTL_DEL, session_->fd(), nullptr);
  registered_ = false;
  session_.reset();  // CONNECTION_CLOSE with H3_NO_ERROR if the connection is still open
  pages_.clear();
  pushes_.clear();
  if (phase_ == phase::waiting) --ctx_.reconnects_due;
  phase_ = phase::idle;
}

void h3_connection::drop(const std::string& why, bool is_error) {
  auto now = run_clock::now();
  if (is_error && !ctx_.stopping) ctx_.st.error(why);
  log(std::string(is_error ? "error: " : "closed: ") + why + " (" + std::to_string(pages_.size()) +
      " pages in flight)");
  // Pages still in flight died with the connection: failed, and done (so -n terminates).
  if (ctx_.counts(now)) {
    ctx_.st.pages += static_cast<std::int64_t>(pages_.size());
    ctx_.st.pages_failed += static_cast<std::int64_t>(pages_.size());
    ctx_.st.pages_lost += static_cast<std::int64_t>(pages_.size());
  }
  int owed = owed_;
  stop();
  owed_ = owed;
  phase_ = phase::waiting;
  ++ctx_.reconnects_due;
  // A clean close reconnects in this loop iteration; an error waits, so that a dead
  // server is not hammered.
  reconnect_at_ = is_error ? now + error_backoff : run_clock::time_point{};
}

void h3_connection::on_event(std::uint32_t events) {
  if (!session_) return;
  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
    session_->on_readable();
  } else if (events & EPOLLOUT) {
    session_->flush();
  }
  after_io();
}

// After every call into the session: the connection may have failed, finished its
// handshake, freed page slots, or served its --reconnect budget.
void h3_connection::after_io() {
  if (!session_->failure().empty()) {
    const std::string& why = session_->failure();
    bool closed_by_peer = why.find("closed the connection") != std::string::npos ||
                          why.find("idle timeout") != std::string::npos;
    drop(why, !(closed_by_peer && pages_.empty()));
    return;
  }
  if (phase_ == phase::handshake && session_->ready()) {
    phase_ = phase::h3;
    ++ctx_.st.connects;
    log("connected");
  }
  if (phase_ == phase::h3) {
    fill_pages();
    session_->flush();
    if (!session_->failure().empty()) return after_io();
    // The connection served its --reconnect budget: close it (CONNECTION_CLOSE with
    // H3_NO_ERROR, RFC 9114 §5.2) and let the worker reconnect.
    if (goaway_ && pages_.empty()) {
      drop("GOAWAY, all streams done", false);
      return;
    }
    const std::int64_t budget = ctx_.plan.opts->reconnect_after;
    if (pages_.empty() && budget > 0 && issued_ >= budget) {
      drop("--reconnect budget done", false);
      return;
    }
  }
  watch();
}

void h3_connection::fill_pages() {
  const options& o = *ctx_.plan.opts;
  const std::int64_t budget = o.reconnect_after;
  while (!goaway_ && !ctx_.stopping && static_cast<int>(pages_.size()) < o.pages_per_connection &&
         (budget == 0 || issued_ < budget) && session_->requests_left() > 0) {
    if (owed_ > 0) {
      --owed_;
    } else if (!ctx_.take_page()) {
      break;
    }
    std::int64_t id = session_->submit(request_);
    if (id < 0) return;  // after_io reports the failure
    pages_[id].start = run_clock::now();
    ++issued_;
  }
}

void h3_connection::on_field(std::int64_t stream, rodeo::test::h3::field f, bool trailer) {
  auto it = pages_.find(stream);
  if (it == pages_.end() || trailer) return;
  it->second.got_headers = true;
  int status = status_of(f);
  if (status >= 200 || (status >= 0 && it->second.status == 0)) it->second.status = status;
}

void h3_connection::on_data(std::int64_t stream, std::span<const std::uint8_t> data) {
  if (pages_.count(stream) && ctx_.counts(run_clock::now()))
    ctx_.st.bytes_page += static_cast<std::int64_t>(data.size());
}

void h3_connection::on_end(std::int64_t stream) {
  auto it = pages_.find(stream);
  if (it == pages_.end()) return;
  it->second.response_done = true;
  it->second.response_end = run_clock::now();
  maybe_finish(stream);
}

void h3_connection::on_close(std::int64_t stream, std::uint64_t app_error) {
  auto it = pages_.find(stream);
  if (it == pages_.end() || it->second.response_done) return;
  // The request stream closed without a complete response: reset by the server.
  if (app_error == h3_request_rejected && !it->second.got_headers) {
    pages_.erase(it);
    ++owed_;
    if (ctx_.counts(run_clock::now())) ++ctx_.st.pages_retried;
    return;
  }
  finish_page(stream, true);
}

void h3_connection::on_promise(std::int64_t stream, rodeo::http3::push::promise& p, bool) {
  auto page_it = pages_.find(stream);
  if (page_it == pages_.end()) return;
  if (ctx_.counts(run_clock::now())) ++ctx_.st.promised;
  push& ps = pushes_[p.push_id];
  if (ps.page_id != -1) return;  // the same push promised again on another stream (§4.6)
  ps.page_id = stream;
  if (ps.settled) {
    pushes_.erase(p.push_id);  // its push stream was quicker than the promise
  } else {
    ++page_it->second.pending_pushes;
  }
}

void h3_connection::on_push(rodeo::http3::push::push_stream_event& e) {
  using kind = rodeo::http3::push::push_stream_event::kind;
  push& ps = pushes_[e.push_id];
  bool counted = ctx_.counts(run_clock::now());
  switch (e.what) {
    case kind::headers:
      for (const auto& f : e.fields) {
        int status = status_of(f);
        if (status >= 0) ps.status = status;
      }
      break;
    case kind::data:
      if (counted) ctx_.st.bytes_pushed += static_cast<std::int64_t>(e.data.size());
      break;
    case kind::end:
      if (counted) {
        ++ctx_.st.pushed_completed;
        if (ps.status < 200 || ps.status > 299) ++ctx_.st.pushed_non2xx;
      }
      settle_push(e.push_id);
      break;
    case kind::push_id:
    case kind::trailers:
      break;
  }
}

void h3_connection::on_push_reset(std::uint64_t push_id) {
  if (ctx_.counts(run_clock::now())) ++ctx_.st.pushed_cancelled;
  settle_push(push_id);
}

void h3_connection::on_goaway(std::int64_t id) {
  goaway_ = true;
  if (!ctx_.stopping) ++ctx_.st.goaways;
  log("GOAWAY received, first unprocessed stream " + std::to_string(id));
  // Pages on streams from `id` on were not processed (RFC 9114 §5.2): fetch them again on
  // the next connection. Collected first: finishing pages while iterating would invalidate.
  std::vector<std::int64_t> refused;
  for (const auto& [stream, pg] : pages_)
    if (stream >= id && !pg.got_headers) refused.push_back(stream);
  for (auto stream : refused) {
    pages_.erase(stream);
    ++owed_;
    if (ctx_.counts(run_clock::now())) ++ctx_.st.pages_retried;
  }
}

void h3_connection::settle_push(std::uint64_t push_id) {
  push& ps = pushes_[push_id];
  if (ps.settled) return;
  ps.settled = true;
  if (ps.page_id == -1) return;  // not promised yet: on_promise finishes the bookkeeping
  std::int64_t page_id = ps.page_id;
  pushes_.erase(push_id);
  auto it = pages_.find(page_id);
  if (it == pages_.end()) return;
  --it->second.pending_pushes;
  maybe_finish(page_id);
}

void h3_connection::maybe_finish(std::int64_t page_id) {
  auto it = pages_.find(page_id);
  if (it != pages_.end() && it->second.response_done && it->second.pending_pushes == 0)
    finish_page(page_id, false);
}

void h3_connection::finish_page(std::int64_t page_id, bool reset) {
  auto it = pages_.find(page_id);
  if (it == pages_.end()) return;
  page pg = it->second;
  pages_.erase(it);
  auto now = run_clock::now();
  if (!ctx_.counts(now)) return;
  stats& st = ctx_.st;
  ++st.pages;
  if (reset) {
    ++st.pages_failed;
    ++st.pages_reset;
  } else if (pg.status < 200 || pg.status > 299) {
    ++st.pages_failed;
    ++st.pages_non2xx;
  } else {
    st.page_ms.push_back(ms_between(pg.start, now));
    st.response_ms.push_back(ms_between(pg.start, pg.response_end));
  }
}
