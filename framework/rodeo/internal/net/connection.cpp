#include "rodeo/internal/net/connection.hpp"

#include <algorithm>

#include "rodeo/log.hpp"

namespace rodeo {

namespace {

// How often a connection checks its timeouts: an eighth of the shortest one (the linger
// timeout aside: it is enforced within a tick), between 10 ms and 1 s.
std::chrono::steady_clock::duration tick_for(const server_context& c) {
  auto shortest = std::min(
      {c.idle_timeout, c.request_timeout, c.header_timeout, c.body_timeout, c.send_timeout});
  return std::clamp<std::chrono::steady_clock::duration>(
      shortest / 8, std::chrono::milliseconds(10), std::chrono::seconds(1));
}

transport_driver::options driver_options(const server_context& c) {
  transport_driver::options o;
  o.tick = tick_for(c);
  o.send_timeout = c.send_timeout;
  o.linger_timeout = c.linger_timeout;
  o.max_output = c.max_connection_output;
  o.output_budget = c.output_budget;
  o.shared_output = &c.queued_output;
  return o;
}

}  // namespace

connection::connection(std::shared_ptr<server_context> ctx, std::shared_ptr<io_worker> worker,
                       std::unique_ptr<transport> t)
    : ctx_(std::move(ctx)),
      worker_(*worker),
      driver_(worker->io, std::move(t), driver_options(*ctx_)),
      selector_(*this, ctx_->limits, ctx_->server_header, ctx_->alt_svc),
      streams_(ctx_, worker, nullptr, driver_.peer(),
               [this](std::size_t to_come) { return over_output(output_bytes() + to_come); }) {}

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
  streams_.bind(weak_from_this());
  driver_.start(weak_from_this());
}

// TLS: ALPN decides (RFC 9113 §3.2). Clear text: the first bytes do (on_input).
void connection::on_handshake(std::string_view alpn) {
  if (!driver_.io().secure()) return driver_.read();
  use_engine(selector_.for_alpn(alpn));
  if (ctx_->stopping) engine_->shutdown();
  pump();
  read();
}

void connection::on_input(std::string_view bytes) {
  last_activity_ = clock::now();
  if (!engine_) {
    auto e = selector_.sniff(bytes);
    if (!e) return driver_.read();  // could still be the HTTP/2 preface: read on
    use_engine(std::move(e));
    if (ctx_->stopping) engine_->shutdown();
    std::string first = selector_.take_sniffed();
    feed(first);
    if (!driver_.closed()) read();
    return;
  }
  feed(bytes);
  read();
}

void connection::on_broken() { close(); }

void connection::read() {
  if (driver_.reading() || driver_.closed() || !engine_ || input_failed_) return;
  // A peer that sends faster than it reads (floods of requests or PINGs), or output piling
  // up faster than the peer reads it: stop reading until it drains (ticks and write
  // completions call read again).
  if (driver_.read_blocked()) return;
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
  driver_.read();
}

void connection::feed(std::string_view bytes) {
  bool ok = engine_->feed(bytes);
  if (selector_.upgrade_pending()) finish_upgrade();
  // HTTP/1.1: a request head that has begun runs against the header timeout from its
  // first byte (on_request, inside feed, ended the previous one).
  if (!head_started_ && streams_.had_request() && engine_->receiving_head())
    head_started_ = clock::now();
  streams_.start_spawned();
  if (!ok && !input_failed_) {
    // No more input; the engine still writes what it owes (earlier pipelined responses,
    // the error response, a GOAWAY) and then says should_close.
    log::net()->debug("{} {} protocol error: closing after the error response", driver_.peer(),
                      engine_->name());
    input_failed_ = true;
  }
  pump();
}

// h2c (RFC 7540 §3.2): the HTTP/1.1 engine queued the 101; everything after it is HTTP/2 and
// the upgrading request becomes stream 1, half-closed (remote).
void connection::finish_upgrade() {
  engine_->take_output(driver_.outbox());
  auto up = selector_.take_upgrade();
  if (!up.engine) {
    log::h2()->debug("{} h2c upgrade with invalid HTTP2-Settings: closing", driver_.peer());
    input_failed_ = true;
    return;
  }
  use_engine(std::move(up.engine));
  if (ctx_->stopping) engine_->shutdown();
  open_stream(1, std::move(up.head));
  if (!up.rest.empty()) engine_->feed(up.rest);
}

void connection::use_engine(std::unique_ptr<protocol> e) {
  engine_ = std::move(e);
  // "h2c" is HTTP/2 in clear text (prior knowledge or Upgrade), as the access log says it.
  std::string label{engine_->name()};
  const bool secure = driver_.io().secure();
  if (engine_->multiplexed() && !secure) label = "h2c";
  streams_.use_engine(*engine_, std::move(label), secure);
  push_served_ = secure;
  if (push_ && secure) push_->set_served(ctx_->tls_names);
  on_push_capability(engine_->can_push());
}

void connection::on_push_capability(push_capability now) {
  push_capability_ = now;
  if (now.skip == push_skip::connection_closing) push_closing_ = true;
  if (push_) push_->update(now);
}

void connection::open_stream(stream_id id, request_head head) {
  if (!push_) {
    push_ = std::make_shared<push_state>(false, ctx_->pushes);
    push_->set_delivery(ctx_->delivery);
    push_->set_cache_digest(ctx_->push_cache_digest);
    if (push_served_) push_->set_served(ctx_->tls_names);
    push_->update(push_capability_);
    if (push_closing_) push_->set_closing();
    push_->set_output_full(output_full_seen_);
    streams_.set_push(push_);
  }
  streams_.open(id, std::move(head), false);
}

void connection::pump() {
  if (driver_.closed() || !engine_) return;
  engine_->take_output(driver_.outbox());
  if (driver_.flush()) {
    account();
    streams_.notify_drains();
    read();
    return;
  }
  account();
  streams_.notify_drains();
  bool done = engine_->should_close() || (input_failed_ && engine_->open_streams() == 0) ||
              abort_after_flush_;
  // The server gave up on this peer (idle, a timeout, a protocol error): the flush gets
  // linger_timeout. A close the request asked for (`connection: close`) flushes at the
  // peer's pace, bounded by the send timeout.
  if (done && input_failed_) driver_.linger();
  if (driver_.flushed() && done) {
    close();
    return;
  }
  read();  // resumes reading after HTTP/1.1 back-pressure
}

void connection::on_output_progress() {
  streams_.notify_drains();
  if (!driver_.writing()) {
    pump();
  } else {
    account();
    read();
  }
}

std::size_t connection::output_bytes() const {
  auto n = driver_.pending();
  if (engine_) n += engine_->queued_total();
  return n;
}

bool connection::over_output() const { return over_output(output_bytes()); }

bool connection::over_output(std::size_t bytes) const {
  return bytes > ctx_->max_connection_output ||
         ctx_->queued_output.load(std::memory_order_relaxed) > ctx_->output_budget;
}

// This connection's output, published into the listener-wide count (output_budget).
void connection::account() {
  auto now = driver_.closed() ? 0 : output_bytes();
  if (now > accounted_)
    ctx_->queued_output.fetch_add(now - accounted_, std::memory_order_relaxed);
  else if (now < accounted_)
    ctx_->queued_output.fetch_sub(accounted_ - now, std::memory_order_relaxed);
  accounted_ = now;
  bool full = !driver_.closed() && over_output(now);
  if (full != output_full_seen_) {
    output_full_seen_ = full;
    if (push_) push_->set_output_full(full);
  }
}

// The driver checked the socket's deadlines (linger, send) before this.
void connection::on_tick(clock::time_point now) {
  if (check_deadlines(now) || driver_.closed()) return;
  if (engine_) {
    check_bodies(now);
    if (engine_->multiplexed()) check_stalled_streams(now);
    if (driver_.closed()) return;
    // Other connections' output may have drained below the listener's budget meanwhile.
    account();
    streams_.notify_drains();
    pump();
  }
}

// The connection-wide deadlines. Returns true once the connection is closed.
bool connection::check_deadlines(clock::time_point now) {
  if (!engine_) {
    // TLS handshake or clear-text sniffing past the request timeout (slowloris).
    if (now - started_ >= ctx_->request_timeout) {
      log::net()->debug("{} no request within {} ms: closing", driver_.peer(),
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
  if (!streams_.had_request() && now - started_ >= ctx_->request_timeout) {
    time_out_head("request");
    return driver_.closed();
  }
  if (head_started_ && now - *head_started_ >= ctx_->header_timeout) {
    time_out_head("header");
    return driver_.closed();
  }
  // Idle: no stream open, nothing being written, and nothing read for idle_timeout. Open
  // streams and writes that make no progress are the send and body timeouts' business.
  bool idle = engine_->open_streams() == 0 && !driver_.writing();
  if (!idle) {
    last_activity_ = now;  // idle time counts from the last stream's end
  } else if (now - last_activity_ >= ctx_->idle_timeout) {
    log::net()->debug("{} idle for {} ms: closing", driver_.peer(), ctx_->idle_timeout.count());
    engine_->shutdown();  // idle: should_close follows at once
    input_failed_ = true;
    pump();
    return driver_.closed();
  } else if (driver_.flushed()) {
    // Idle within the timeout: buffers sized for the last burst go back until the next one.
    engine_->trim();
    driver_.trim();
  }
  return false;
}

void connection::time_out_head(const char* what) {
  log::net()->debug("{} {} timeout ({} ms): {}", driver_.peer(), what,
                    (what[0] == 'r' ? ctx_->request_timeout : ctx_->header_timeout).count(),
                    engine_->multiplexed() ? "GOAWAY" : "408");
  head_started_.reset();
  engine_->time_out();
  input_failed_ = true;
  pump();
}

// body_timeout: a request body that receives no byte for that long ends its stream. Not
// while this side stopped reading (output back-pressure): then the send timeout governs.
void connection::check_bodies(clock::time_point now) {
  if (input_failed_ || driver_.read_blocked() || paused_) return;
  for (auto id : streams_.stalled_bodies(now, ctx_->body_timeout)) {
    log::net()->debug("{} stream {} request body stalled for {} ms", driver_.peer(), id,
                      ctx_->body_timeout.count());
    if (!engine_->multiplexed()) {
      // HTTP/1.1: the body's bytes cannot be skipped; 408 and close (the stream is reset
      // inside, which ends its actor).
      streams_.expect_timeout(id);
      engine_->time_out();
      input_failed_ = true;
      break;
    }
    streams_.time_out_body(id);
  }
  pump();
}

// Send timeout per stream: data held back only by the peer's flow-control window for
// send_timeout cancels the stream (RST_STREAM CANCEL, RFC 9113 §7: the peer did not violate
// flow control, the stream is just no longer worth keeping); if the connection window itself
// stays closed, no stream can progress: GOAWAY and close. Likewise when the stalled streams
// hold the connection's output allowance while other streams wait for room: resetting them
// would only let the next few take their place and stall in turn (a peer keeping every
// window at zero would cost one send timeout per few streams), so the connection goes.
void connection::check_stalled_streams(clock::time_point now) {
  auto stalled = streams_.stalled_sends(now, ctx_->send_timeout);
  if (stalled.empty()) return;
  if (engine_->connection_window_closed()) {
    log::h2()->debug("{} connection flow-control window closed for {} ms: GOAWAY", driver_.peer(),
                     ctx_->send_timeout.count());
    abort_after_flush();
    return;
  }
  if (streams_.waiting_for_room() && over_output()) {
    log::h2()->debug(
        "{} {} streams blocked by flow control for {} ms hold the output "
        "limit while others wait: GOAWAY",
        driver_.peer(), stalled.size(), ctx_->send_timeout.count());
    abort_after_flush();
    return;
  }
  for (auto id : stalled) {
    log::h2()->debug("{} stream {} blocked by flow control for {} ms: RST_STREAM CANCEL",
                     driver_.peer(), id, ctx_->send_timeout.count());
    streams_.expect_timeout(id);
    engine_->cancel_stream(id);
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
  if (driver_.closed()) return;
  push_closing_ = true;
  if (push_) push_->set_closing();
  if (!engine_) return close();
  engine_->shutdown();
  streams_.notify_shutdown();
  pump();
}

void connection::evict() {
  log::net()->debug("{} closed without a request to make room at max_connections", driver_.peer());
  close();
}

void connection::close() {
  if (driver_.closed()) return;
  driver_.close();
  streams_.finish_all();
  account();  // closed: its output no longer counts against the listener's budget
  // Last: this may drop the last reference once pending handlers have run.
  worker_.connections.erase(shared_from_this());
}

}  // namespace rodeo
