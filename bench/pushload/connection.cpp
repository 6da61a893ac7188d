#include "connection.hpp"

#include <sys/epoll.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "options.hpp"

namespace {

constexpr std::size_t out_batch = 64 * 1024;
constexpr int read_rounds = 16;  // at most 1 MiB per wake-up, then let the others run
constexpr auto error_backoff = std::chrono::milliseconds(100);

double ms_between(run_clock::time_point a, run_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

connection::connection(worker_context& ctx, int id) : ctx_(ctx), id_(id) {}

connection::~connection() { stop(); }

void connection::log(const std::string& what) const {
  if (ctx_.plan.opts->verbose) std::fprintf(stderr, "pushload: conn %d: %s\n", id_, what.c_str());
}

void connection::watch(std::uint32_t events) {
  if (registered_ && events == watching_) return;
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = static_cast<load_connection*>(this);  // the worker casts it back to that
  epoll_ctl(ctx_.epfd, registered_ ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, tr_.fd(), &ev);
  registered_ = true;
  watching_ = events;
}

void connection::start() {
  if (phase_ == phase::waiting) --ctx_.reconnects_due;
  phase_ = phase::idle;
  goaway_ = false;
  issued_ = 0;
  out_.clear();
  out_off_ = 0;
  registered_ = false;
  const run_plan& p = ctx_.plan;
  if (!tr_.open(reinterpret_cast<const sockaddr*>(&p.addr), p.addr_len, p.tls, p.opts->url.host)) {
    drop(tr_.error(), true);
    return;
  }
  phase_ = phase::handshake;
  watch(EPOLLIN | EPOLLOUT);
}

void connection::on_timer() {
  if (phase_ == phase::waiting && ctx_.now >= reconnect_at_ && !ctx_.stopping) start();
}

void connection::stop() {
  closing_session_ = true;
  if (session_ != nullptr) nghttp2_session_del(session_);
  session_ = nullptr;
  closing_session_ = false;
  if (registered_) epoll_ctl(ctx_.epfd, EPOLL_CTL_DEL, tr_.fd(), nullptr);
  registered_ = false;
  tr_.close();
  pages_.clear();
  streams_.clear();
  if (phase_ == phase::waiting) --ctx_.reconnects_due;
  phase_ = phase::idle;
}

void connection::drop(const std::string& why, bool is_error) {
  auto now = run_clock::now();
  if (is_error && !ctx_.stopping) ctx_.st.error(why);
  log(std::string(is_error ? "error: " : "closed: ") + why + " (" + std::to_string(pages_.size()) +
      " pages in flight)");
  // Pages still in flight died with the connection: failed, and done (so -n terminates).
  for (const auto& entry : pages_) {
    (void)entry;
    if (!ctx_.counts(now)) continue;
    ++ctx_.st.pages;
    ++ctx_.st.pages_failed;
    ++ctx_.st.pages_lost;
  }
  pages_.clear();
  streams_.clear();
  int owed = owed_;
  stop();
  owed_ = owed;
  phase_ = phase::waiting;
  ++ctx_.reconnects_due;
  // A clean close reconnects in this loop iteration; an error waits, so that a dead
  // server is not hammered.
  reconnect_at_ = is_error ? now + error_backoff : run_clock::time_point{};
}

void connection::begin_session() {
  nghttp2_session_callbacks* cbs = nullptr;
  nghttp2_session_callbacks_new(&cbs);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, on_frame_recv);
  nghttp2_session_callbacks_set_on_header_callback(cbs, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, on_data_chunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(cbs, on_stream_close);
  nghttp2_option* opt = nullptr;
  nghttp2_option_new(&opt);
  const options& o = *ctx_.plan.opts;
  // Promised-but-not-started streams count against this limit (default 200): keep it at
  // least as high as the streams we allow, so we never refuse a push ourselves.
  nghttp2_option_set_max_reserved_remote_streams(
      opt, std::max<std::uint32_t>(200, o.max_concurrent_streams));
  int rv = nghttp2_session_client_new2(&session_, cbs, this, opt);
  nghttp2_option_del(opt);
  nghttp2_session_callbacks_del(cbs);
  if (rv != 0) {
    drop(std::string("h2 session: ") + nghttp2_strerror(rv), true);
    return;
  }
  // RFC 9113 section 6.5.2: ENABLE_PUSH=0 forbids PUSH_PROMISE; MAX_CONCURRENT_STREAMS
  // bounds the pushed streams the server may open; the windows keep flow control out of
  // the measurement (h2load's defaults, 2^30-1).
  const nghttp2_settings_entry iv[] = {
      {NGHTTP2_SETTINGS_ENABLE_PUSH, o.push ? 1u : 0u},
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, o.max_concurrent_streams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, (1u << o.window_bits) - 1},
  };
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, iv, sizeof iv / sizeof iv[0]);
  nghttp2_session_set_local_window_size(
      session_, NGHTTP2_FLAG_NONE, 0,
      static_cast<std::int32_t>((1u << o.connection_window_bits) - 1));
  phase_ = phase::h2;
  ++ctx_.st.connects;
  log("connected");
  fill_pages();
  flush();
}

void connection::fill_pages() {
  const run_plan& p = ctx_.plan;
  const std::int64_t budget = p.opts->reconnect_after;
  while (session_ != nullptr && !goaway_ && !ctx_.stopping &&
         static_cast<int>(pages_.size()) < p.opts->pages_per_connection &&
         (budget == 0 || issued_ < budget)) {
    if (owed_ > 0) {
      --owed_;
    } else if (!ctx_.take_page()) {
      break;
    }
    std::int32_t id =
        nghttp2_submit_request(session_, nullptr, p.nva.data(), p.nva.size(), nullptr, nullptr);
    if (id < 0) {
      drop(std::string("h2 submit: ") + nghttp2_strerror(id), true);
      return;
    }
    pages_[id].start = run_clock::now();
    streams_[id].page_id = id;
    ++issued_;
  }
}

// The connection served its --reconnect budget: say GOAWAY (RFC 9113 section 6.8, graceful
// shutdown), write it if the socket takes it now, close, and let the worker reconnect.
void connection::retire() {
  nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
  const std::uint8_t* data = nullptr;
  ssize_t n = 0;
  while ((n = nghttp2_session_mem_send(session_, &data)) > 0) {
    std::size_t wrote = 0;
    if (tr_.write(data, static_cast<std::size_t>(n), wrote) != transport::io::ok) break;
  }
  drop("--reconnect budget done", false);
}

void connection::flush() {
  while (session_ != nullptr) {
    if (out_off_ == out_.size()) {
      out_.clear();
      out_off_ = 0;
      while (out_.size() < out_batch) {
        const std::uint8_t* data = nullptr;
        ssize_t n = nghttp2_session_mem_send(session_, &data);
        if (n < 0) {
          drop(std::string("h2 send: ") + nghttp2_strerror(static_cast<int>(n)), true);
          return;
        }
        if (n == 0) break;
        out_.insert(out_.end(), data, data + n);
      }
      if (out_.empty()) break;
    }
    std::size_t wrote = 0;
    auto r = tr_.write(out_.data() + out_off_, out_.size() - out_off_, wrote);
    if (r == transport::io::ok) {
      out_off_ += wrote;
      continue;
    }
    if (r == transport::io::again) {
      watch(EPOLLIN | EPOLLOUT);
      return;
    }
    drop(r == transport::io::closed ? "closed by the server while writing" : tr_.error(), true);
    return;
  }
  if (session_ == nullptr) return;
  watch(EPOLLIN);
  // Both sides said GOAWAY and nothing is left: the session is over.
  if (!nghttp2_session_want_read(session_) && !nghttp2_session_want_write(session_))
    drop("session finished", !pages_.empty());
  else if (goaway_ && pages_.empty())
    drop("GOAWAY, all streams done", false);
  else if (pages_.empty() && ctx_.plan.opts->reconnect_after > 0 &&
           issued_ >= ctx_.plan.opts->reconnect_after)
    retire();
}

void connection::on_event(std::uint32_t events) {
  if (phase_ == phase::handshake) {
    auto r = tr_.handshake();
    if (r == transport::io::ok) {
      begin_session();
    } else if (r == transport::io::again) {
      watch(EPOLLIN | (tr_.needs_write() ? EPOLLOUT : 0u));
    } else {
      drop(tr_.error(), true);
    }
    return;
  }
  if (phase_ != phase::h2) return;
  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable();
  if (phase_ == phase::h2 && (events & EPOLLOUT)) flush();
}

void connection::on_readable() {
  for (int round = 0; round < read_rounds && session_ != nullptr; ++round) {
    std::size_t got = 0;
    auto r = tr_.read(ctx_.read_buf.data(), ctx_.read_buf.size(), got);
    if (r == transport::io::again) break;
    if (r == transport::io::closed) {
      bool clean = pages_.empty();
      drop(clean ? "closed by the server (idle)" : "closed by the server with pages in flight",
           !clean);
      return;
    }
    if (r == transport::io::error) {
      drop(tr_.error(), true);
      return;
    }
    ssize_t n = nghttp2_session_mem_recv(session_, ctx_.read_buf.data(), got);
    if (n < 0) {
      drop(std::string("h2 recv: ") + nghttp2_strerror(static_cast<int>(n)), true);
      return;
    }
  }
  fill_pages();
  flush();
}

void connection::finish_page(std::int32_t id) {
  auto it = pages_.find(id);
  if (it == pages_.end()) return;
  page pg = it->second;
  pages_.erase(it);
  auto now = run_clock::now();
  if (!ctx_.counts(now)) return;
  stats& st = ctx_.st;
  ++st.pages;
  if (pg.reset) {
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

void connection::stream_closed(std::int32_t id, std::uint32_t error_code) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  stream s = it->second;
  streams_.erase(it);
  auto pit = pages_.find(s.page_id);
  if (pit == pages_.end()) return;
  page& pg = pit->second;
  auto now = run_clock::now();
  bool counted = ctx_.counts(now);
  if (s.pushed) {
    --pg.pending_pushes;
    if (counted) {
      if (error_code == NGHTTP2_NO_ERROR) {
        ++ctx_.st.pushed_completed;
        if (s.status < 200 || s.status > 299) ++ctx_.st.pushed_non2xx;
      } else if (s.reset_by_server) {
        ++ctx_.st.pushed_cancelled;
      } else {
        ++ctx_.st.pushed_refused;
      }
    }
  } else {
    pg.response_done = true;
    pg.response_end = now;
    pg.status = s.status;
    // RFC 9113 section 8.7: REFUSED_STREAM (or a stream above a GOAWAY's last id) means the
    // server did not process the request, so it is safe to send it again.
    if (error_code == NGHTTP2_REFUSED_STREAM && !s.got_headers) {
      pages_.erase(pit);
      ++owed_;
      if (counted) ++ctx_.st.pages_retried;
      return;
    }
    pg.reset = error_code != NGHTTP2_NO_ERROR;
  }
  if (pg.response_done && pg.pending_pushes == 0) finish_page(s.page_id);
}

int connection::on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto* self = static_cast<connection*>(user);
  const std::int32_t id = frame->hd.stream_id;
  switch (frame->hd.type) {
    case NGHTTP2_PUSH_PROMISE: {
      auto parent = self->streams_.find(id);
      if (parent == self->streams_.end()) break;
      const std::int32_t page_id = parent->second.page_id;
      auto pit = self->pages_.find(page_id);
      if (pit == self->pages_.end()) break;
      ++pit->second.pending_pushes;
      stream& pushed = self->streams_[frame->push_promise.promised_stream_id];
      pushed.page_id = page_id;
      pushed.pushed = true;
      if (self->ctx_.counts(run_clock::now())) ++self->ctx_.st.promised;
      break;
    }
    case NGHTTP2_HEADERS: {
      auto it = self->streams_.find(id);
      if (it != self->streams_.end()) it->second.got_headers = true;
      break;
    }
    case NGHTTP2_RST_STREAM: {
      auto it = self->streams_.find(id);
      if (it != self->streams_.end()) it->second.reset_by_server = true;
      break;
    }
    case NGHTTP2_GOAWAY:
      self->goaway_ = true;
      if (!self->ctx_.stopping) ++self->ctx_.st.goaways;
      self->log("GOAWAY received, error code " + std::to_string(frame->goaway.error_code) +
                ", last stream " + std::to_string(frame->goaway.last_stream_id));
      break;
    default:
      break;
  }
  return 0;
}

int connection::on_header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name,
                          std::size_t namelen, const std::uint8_t* value, std::size_t valuelen,
                          std::uint8_t, void* user) {
  if (frame->hd.type != NGHTTP2_HEADERS || namelen != 7 || std::memcmp(name, ":status", 7) != 0)
    return 0;
  auto* self = static_cast<connection*>(user);
  auto it = self->streams_.find(frame->hd.stream_id);
  if (it == self->streams_.end()) return 0;
  int status = 0;
  for (std::size_t i = 0; i < valuelen && value[i] >= '0' && value[i] <= '9'; ++i)
    status = status * 10 + (value[i] - '0');
  // 1xx responses are interim (RFC 9110 section 15.2); the final status replaces them.
  if (status >= 200 || it->second.status == 0) it->second.status = status;
  return 0;
}

int connection::on_data_chunk(nghttp2_session*, std::uint8_t, std::int32_t id, const std::uint8_t*,
                              std::size_t len, void* user) {
  auto* self = static_cast<connection*>(user);
  auto it = self->streams_.find(id);
  if (it == self->streams_.end() || !self->ctx_.counts(run_clock::now())) return 0;
  (it->second.pushed ? self->ctx_.st.bytes_pushed : self->ctx_.st.bytes_page) +=
      static_cast<std::int64_t>(len);
  return 0;
}

int connection::on_stream_close(nghttp2_session*, std::int32_t id, std::uint32_t error_code,
                                void* user) {
  auto* self = static_cast<connection*>(user);
  if (!self->closing_session_) self->stream_closed(id, error_code);
  return 0;
}
