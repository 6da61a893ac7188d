#include "rodeo/connection.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include "rodeo/http1/engine.hpp"
#include "rodeo/http2/engine.hpp"
#include "rodeo/log.hpp"
#include "rodeo/request_actor.hpp"

namespace rodeo {

namespace {

// RFC 9113 §3.4: the client connection preface.
constexpr std::string_view h2_preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
// The preface's request line: input that starts with it is meant as HTTP/2.
constexpr std::string_view h2_preface_line = "PRI * HTTP/2.0";

// How often a connection checks its timeouts: an eighth of the shortest one (the linger
// timeout aside: it is enforced within a tick), between 10 ms and 1 s.
std::chrono::steady_clock::duration tick_for(const server_context& c) {
  auto shortest = std::min({c.idle_timeout, c.request_timeout, c.header_timeout,
                            c.body_timeout, c.send_timeout});
  return std::clamp<std::chrono::steady_clock::duration>(
      shortest / 8, std::chrono::milliseconds(10), std::chrono::seconds(1));
}

std::string peer_of(transport& t) {
  asio::error_code ec;
  auto ep = t.socket().remote_endpoint(ec);
  if (ec) return "unknown";
  auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" +
         std::to_string(ep.port());
}

}  // namespace

connection::connection(std::shared_ptr<server_context> ctx, std::shared_ptr<io_worker> worker,
                       std::unique_ptr<transport> t)
    : ctx_(std::move(ctx)),
      worker_(*worker),
      worker_ref_(worker),
      transport_(std::move(t)),
      push_(std::make_shared<push_state>(false, ctx_->pushes)),
      timer_(worker_.io),
      tick_(tick_for(*ctx_)) {
  peer_ = peer_of(*transport_);
}

// The listener counted this connection when it made it (max_connections).
connection::~connection() {
  if (ctx_) ctx_->open_connections.fetch_sub(1, std::memory_order_relaxed);
}

void connection::start() {
  worker_.connections.insert(shared_from_this());
  // Oldest first; entries at the front that sent a request since, or closed, go now, so
  // the queue holds little more than the connections still waiting (request_timeout
  // bounds how long they wait).
  auto& waiting = worker_.awaiting_request;
  while (!waiting.empty()) {
    auto front = waiting.front().lock();
    if (front && front->awaiting_request()) break;
    waiting.pop_front();
  }
  waiting.push_back(weak_from_this());
  started_ = last_activity_ = clock::now();
  arm_timer();
  transport_->handshake([self = shared_from_this()](const asio::error_code& ec, std::string alpn) {
    if (ec) {
      log::tls()->debug("{} handshake failed: {}", self->peer_, ec.message());
      self->close();
      return;
    }
    if (self->transport_->secure())
      self->choose_protocol(alpn);
    else
      self->sniff();
  });
}

// TLS: ALPN decides (RFC 9113 §3.2); no ALPN means HTTP/1.1.
void connection::choose_protocol(std::string_view alpn) {
  if (alpn == "h2") {
    use_engine(std::make_unique<http2::engine>(*this, ctx_->limits, true));
  } else {
    use_engine(std::make_unique<http1::engine>(*this, ctx_->limits, true));
  }
  if (ctx_->stopping) engine_->shutdown();
  pump();
  read();
}

// Clear text: HTTP/2 with prior knowledge starts with the preface (RFC 9113 §3.3);
// anything else is HTTP/1.1 (which may still upgrade to h2c). Input that starts like the
// preface but is not exactly it goes to the HTTP/2 engine too, which answers
// GOAWAY(PROTOCOL_ERROR) as §3.4 asks, not an HTTP/1.1 error.
void connection::sniff() {
  reading_ = true;
  transport_->read([self = shared_from_this()](const asio::error_code& ec,
                                                std::string_view bytes) {
    self->reading_ = false;
    if (ec) return self->close();
    self->last_activity_ = clock::now();
    self->sniffed_.append(bytes);
    auto have = std::string_view{self->sniffed_};
    auto cmp = have.substr(0, std::min(have.size(), h2_preface.size()));
    if (cmp == h2_preface.substr(0, cmp.size()) && have.size() < h2_preface.size())
      return self->sniff();  // could still be the preface: read on
    bool h2 = have.starts_with(h2_preface_line);
    if (h2) {
      self->use_engine(std::make_unique<http2::engine>(*self, self->ctx_->limits, false));
    } else {
      self->use_engine(std::make_unique<http1::engine>(*self, self->ctx_->limits, false));
    }
    if (self->ctx_->stopping) self->engine_->shutdown();
    std::string first = std::move(self->sniffed_);
    self->feed(first);
    if (!self->closed_) self->read();
  });
}

void connection::read() {
  if (reading_ || closed_ || !engine_ || input_failed_) return;
  // A peer that sends faster than it reads (floods of requests or PINGs), or output piling
  // up faster than the peer reads it: stop reading until it drains (ticks and write
  // completions call read again).
  if (read_blocked()) return;
  if (!engine_->want_read()) {
    paused_ = true;  // HTTP/1.1 pipeline full: leave the socket alone (back-pressure)
    return;
  }
  if (paused_) {
    // The engine kept unparsed input while paused; the client may send nothing more, so
    // let it parse what it holds before reading again.
    paused_ = false;
    feed({});
    return;  // feed -> pump -> read
  }
  reading_ = true;
  transport_->read([self = shared_from_this()](const asio::error_code& ec,
                                                std::string_view bytes) {
    self->on_read(ec, bytes);
  });
}

void connection::on_read(const asio::error_code& ec, std::string_view bytes) {
  reading_ = false;
  if (closed_) return;
  if (ec) {
    if (ec != asio::error::eof && ec != asio::error::operation_aborted)
      log::net()->debug("{} read failed: {}", peer_, ec.message());
    return close();
  }
  last_activity_ = clock::now();
  feed(bytes);
  read();
}

void connection::feed(std::string_view bytes) {
  bool ok = engine_->feed(bytes);
  if (upgrade_) finish_upgrade();
  // HTTP/1.1: a request head that has begun runs against the header timeout from its
  // first byte (on_request, inside feed, ended the previous one).
  if (!h2_ && engine_ && !head_started_ && first_request_) {
    if (static_cast<http1::engine&>(*engine_).receiving_head()) head_started_ = clock::now();
  }
  sync_push_state();
  start_spawned();
  if (!ok && !input_failed_) {
    // No more input; the engine still writes what it owes (earlier pipelined responses,
    // the error response, a GOAWAY) and then says should_close.
    log::net()->debug("{} {} protocol error: closing after the error response", peer_,
                      engine_->name());
    input_failed_ = true;
  }
  pump();
}

// h2c (RFC 7540 §3.2): the HTTP/1.1 engine queued the 101; everything after it is HTTP/2 and
// the upgrading request becomes stream 1, half-closed (remote).
void connection::finish_upgrade() {
  auto up = std::move(upgrade_);
  engine_->take_output(out_);
  auto h2 = http2::engine::upgrade(*this, ctx_->limits, up->settings, up->head);
  if (!h2) {
    log::h2()->debug("{} h2c upgrade with invalid HTTP2-Settings: closing", peer_);
    input_failed_ = true;
    return;
  }
  use_engine(std::move(h2));
  if (ctx_->stopping) engine_->shutdown();
  spawn(1, std::move(up->head), false);
  if (!up->rest.empty()) engine_->feed(up->rest);
}

void connection::use_engine(std::unique_ptr<protocol> e) {
  engine_ = std::move(e);
  h2_ = dynamic_cast<http2::engine*>(engine_.get());
  push_->set_http2(h2_ != nullptr);
}

void connection::sync_push_state() {
  auto* h2 = h2_;
  if (!h2) return;
  bool enabled = h2->push_enabled();
  auto limit = h2->peer_max_concurrent_streams();
  if (enabled != push_enabled_seen_ || limit != push_limit_seen_) {
    push_enabled_seen_ = enabled;
    push_limit_seen_ = limit;
    push_->update_peer(enabled, limit);
  }
  if (h2->going_away()) push_->set_closing();
}

void connection::pump() {
  if (closed_ || !engine_) return;
  engine_->take_output(out_);
  if (!writing_busy_ && !out_.empty()) {
    writing_.swap(out_);
    out_.clear();
    write_off_ = 0;
    write_progress_ = clock::now();
    write_next();
    account();
    notify_drains();
    read();
    return;
  }
  account();
  notify_drains();
  bool done = engine_->should_close() || (input_failed_ && engine_->open_streams() == 0) ||
              abort_after_flush_;
  // The server gave up on this peer (idle, a timeout, a protocol error): the flush gets
  // linger_timeout. A close the request asked for (`connection: close`) flushes at the
  // peer's pace, bounded by the send timeout.
  if (done && input_failed_ && !linger_since_) linger_since_ = clock::now();
  if (!writing_busy_ && out_.empty() && done) {
    close();
    return;
  }
  read();  // resumes reading after HTTP/1.1 back-pressure
}

// One piece of writing_ at a time: each completion is progress for the send timeout.
void connection::write_next() {
  writing_busy_ = true;
  auto n = std::min(write_chunk, writing_.size() - write_off_);
  transport_->write(asio::buffer(writing_.data() + write_off_, n),
                    [self = shared_from_this(), n](const asio::error_code& ec, std::size_t) {
                      self->write_off_ += n;
                      self->on_written(ec);
                    });
}

void connection::on_written(const asio::error_code& ec) {
  writing_busy_ = false;
  if (closed_) return;
  if (ec) {
    log::net()->debug("{} write failed: {}", peer_, ec.message());
    return close();
  }
  write_progress_ = clock::now();
  if (write_off_ < writing_.size()) {
    write_next();
  } else {
    writing_.clear();
    write_off_ = 0;
  }
  notify_drains();
  if (!writing_busy_) {
    pump();
  } else {
    account();
    read();
  }
}

std::size_t connection::output_bytes() const {
  auto n = out_.size() + (writing_.size() - write_off_);
  if (engine_) n += engine_->queued_total();
  return n;
}

bool connection::over_output() const { return over_output(output_bytes()); }

// Reading stops on what waits for the socket only: output an HTTP/2 engine holds for flow
// control needs the peer's WINDOW_UPDATE, which only reading brings.
bool connection::read_blocked() const {
  auto socket = out_.size() + (writing_.size() - write_off_);
  if (socket > ctx_->max_connection_output) return true;
  return socket > 0 && ctx_->queued_output.load(std::memory_order_relaxed) > ctx_->output_budget;
}

bool connection::over_output(std::size_t bytes) const {
  return bytes > ctx_->max_connection_output ||
         ctx_->queued_output.load(std::memory_order_relaxed) > ctx_->output_budget;
}

// This connection's output, published into the listener-wide count (output_budget).
void connection::account() {
  auto now = closed_ ? 0 : output_bytes();
  if (now > accounted_)
    ctx_->queued_output.fetch_add(now - accounted_, std::memory_order_relaxed);
  else if (now < accounted_)
    ctx_->queued_output.fetch_sub(accounted_ - now, std::memory_order_relaxed);
  accounted_ = now;
  bool full = !closed_ && over_output(now);
  if (full != output_full_seen_) {
    output_full_seen_ = full;
    push_->set_output_full(full);
  }
}

// A producer waiting for its stream to drain goes on once its stream's queue is low and the
// connection and the listener are within their output limits.
void connection::notify_drains() {
  if (drain_watchers_.empty() || !engine_) return;
  if (over_output()) return;
  for (auto i = drain_watchers_.begin(); i != drain_watchers_.end();) {
    auto s = streams_.find(*i);
    if (s == streams_.end()) {
      i = drain_watchers_.erase(i);
    } else if (engine_->queued_bytes(*i) < drain_low_water) {
      caf::anon_send(s->second.actor, drain_atom::value);
      i = drain_watchers_.erase(i);
    } else {
      ++i;
    }
  }
}

void connection::arm_timer() {
  timer_.expires_after(tick_);
  timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (ec || self->closed_) return;
    self->on_tick();
    if (!self->closed_) self->arm_timer();
  });
}

void connection::on_tick() {
  auto now = clock::now();
  if (check_deadlines(now) || closed_) return;
  if (engine_) {
    check_bodies(now);
    if (h2_) check_stalled_streams(now);
    if (closed_) return;
    // Other connections' output may have drained below the listener's budget meanwhile.
    account();
    notify_drains();
    pump();
  }
}

// The connection-wide deadlines. Returns true once the connection is closed.
bool connection::check_deadlines(clock::time_point now) {
  // Cowboy's linger_timeout: only the flush was left, and the peer does not take it.
  if (linger_since_ && now - *linger_since_ >= ctx_->linger_timeout) {
    log::net()->debug("{} output not flushed {} ms after the close was decided: closing",
                      peer_, ctx_->linger_timeout.count());
    close();
    return true;
  }
  // Output pending and no byte written for send_timeout: the peer does not read.
  if (writing_busy_ && now - write_progress_ >= ctx_->send_timeout) {
    log::net()->debug("{} no write progress for {} ms: closing", peer_,
                      ctx_->send_timeout.count());
    close();
    return true;
  }
  if (!engine_) {
    // TLS handshake or clear-text sniffing past the request timeout (slowloris).
    if (now - started_ >= ctx_->request_timeout) {
      log::net()->debug("{} no request within {} ms: closing", peer_,
                        ctx_->request_timeout.count());
      close();
      return true;
    }
    return false;
  }
  if (input_failed_) return false;  // closing already: linger and send timeouts apply
  // An absolute deadline for the first request head (HTTP/2: preface, SETTINGS, HEADERS)
  // and, in HTTP/1.1, for every later head from its first byte: bytes trickled in do not
  // extend it (nginx's client_header_timeout).
  if (!first_request_ && now - started_ >= ctx_->request_timeout) {
    time_out_head("request");
    return closed_;
  }
  if (head_started_ && now - *head_started_ >= ctx_->header_timeout) {
    time_out_head("header");
    return closed_;
  }
  // Idle: no stream open, nothing being written, and nothing read for idle_timeout. Open
  // streams and writes that make no progress are the send and body timeouts' business.
  bool idle = engine_->open_streams() == 0 && !writing_busy_;
  if (!idle) {
    last_activity_ = now;  // idle time counts from the last stream's end
  } else if (now - last_activity_ >= ctx_->idle_timeout) {
    log::net()->debug("{} idle for {} ms: closing", peer_, ctx_->idle_timeout.count());
    engine_->shutdown();  // idle: should_close follows at once
    input_failed_ = true;
    pump();
    return closed_;
  }
  return false;
}

void connection::time_out_head(const char* what) {
  log::net()->debug("{} {} timeout ({} ms): {}", peer_, what,
                    (what[0] == 'r' ? ctx_->request_timeout : ctx_->header_timeout).count(),
                    h2_ ? "GOAWAY" : "408");
  head_started_.reset();
  engine_->time_out();
  input_failed_ = true;
  pump();
}

// body_timeout: a request body that receives no byte for that long ends its stream. Not
// while this side stopped reading (output back-pressure): then the send timeout governs.
void connection::check_bodies(clock::time_point now) {
  if (input_failed_ || read_blocked() || paused_) return;
  std::vector<stream_id> late;
  for (auto& [id, s] : streams_)
    if (s.body_open && now - s.body_seen >= ctx_->body_timeout) late.push_back(id);
  for (auto id : late) {
    auto it = streams_.find(id);
    if (it == streams_.end()) continue;
    log::net()->debug("{} stream {} request body stalled for {} ms", peer_, id,
                      ctx_->body_timeout.count());
    it->second.body_open = false;
    if (!h2_) {
      // HTTP/1.1: the body's bytes cannot be skipped; 408 and close (the stream is reset
      // inside, which ends its actor).
      it->second.chain->expect_end(stream_end_reason::timeout);
      engine_->time_out();
      input_failed_ = true;
      break;
    }
    if (!it->second.replied) {
      // RFC 9110 §15.5.9; the engine ends the request half with RST_STREAM(NO_ERROR).
      // The 408 goes through the stream handlers like any response.
      auto actor = it->second.actor;
      auto chain = it->second.chain;
      chain->send(cmd::reply{408, {{"content-type", "text/plain"}}, "Request Timeout\n"});
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
      end_stream(id, stream_end_reason::timeout);
    } else {
      // RFC 9113 §7 CANCEL: the stream is no longer wanted.
      it->second.chain->expect_end(stream_end_reason::timeout);
      h2_->reset_stream(id, 0x8);
    }
  }
  pump();
}

// HTTP/2 send timeout per stream: data held back only by the peer's flow-control window for
// send_timeout resets the stream (RST_STREAM CANCEL, RFC 9113 §7: the peer did not violate
// flow control, the stream is just no longer worth keeping); if the connection window itself
// stays closed, no stream can progress: GOAWAY and close.
void connection::check_stalled_streams(clock::time_point now) {
  std::vector<stream_id> stalled;
  for (auto& [id, s] : streams_) {
    auto q = engine_->queued_bytes(id);
    if (q < s.queued_seen || !h2_->flow_blocked(id)) s.send_progress = now;
    s.queued_seen = q;
    if (now - s.send_progress >= ctx_->send_timeout) stalled.push_back(id);
  }
  if (stalled.empty()) return;
  if (h2_->connection_window_closed()) {
    log::h2()->debug("{} connection flow-control window closed for {} ms: GOAWAY", peer_,
                     ctx_->send_timeout.count());
    abort_after_flush();
    return;
  }
  for (auto id : stalled) {
    log::h2()->debug("{} stream {} blocked by flow control for {} ms: RST_STREAM CANCEL",
                     peer_, id, ctx_->send_timeout.count());
    if (auto it = streams_.find(id); it != streams_.end())
      it->second.chain->expect_end(stream_end_reason::timeout);
    h2_->reset_stream(id, 0x8);
  }
  pump();
}

// Says goodbye (GOAWAY) and closes once the socket wrote it, or after the linger timeout.
void connection::abort_after_flush() {
  engine_->shutdown();
  input_failed_ = true;
  abort_after_flush_ = true;
  pump();
}

void connection::shutdown() {
  if (closed_) return;
  push_->set_closing();
  if (!engine_) return close();
  engine_->shutdown();
  pump();
}

void connection::evict() {
  log::net()->debug("{} closed without a request to make room at max_connections", peer_);
  close();
}

void connection::close() {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  transport_->close();
  for (auto& [id, s] : streams_) {
    if (s.actor) caf::anon_send_exit(s.actor, caf::exit_reason::user_shutdown);
  }
  auto left = std::move(streams_);
  streams_.clear();
  drain_watchers_.clear();
  account();  // closed: its output no longer counts against the listener's budget
  for (auto& [id, s] : left) s.chain->finish(stream_end_reason::connection_closed);
  // Last: this may drop the last reference once pending handlers have run.
  worker_.connections.erase(shared_from_this());
}

}  // namespace rodeo
