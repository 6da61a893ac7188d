#include "rodeo/connection.hpp"

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

// Output waiting for the socket above which the connection stops reading its peer.
constexpr std::size_t max_pending_output = 1024 * 1024;

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
      idle_timer_(worker_.io) {
  peer_ = peer_of(*transport_);
}

connection::~connection() = default;

void connection::start() {
  worker_.connections.insert(shared_from_this());
  last_activity_ = std::chrono::steady_clock::now();
  arm_idle_timer();
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
  arm_idle_timer();  // from the request timeout to the idle timeout
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
    self->last_activity_ = std::chrono::steady_clock::now();
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
    self->arm_idle_timer();  // from the request timeout to the idle timeout
    std::string first = std::move(self->sniffed_);
    self->feed(first);
    if (!self->closed_) self->read();
  });
}

void connection::read() {
  if (reading_ || closed_ || !engine_ || input_failed_) return;
  // A peer that sends faster than it reads (floods of requests or PINGs) stops being read
  // until its output drains.
  if (out_.size() + writing_.size() > max_pending_output) return;
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
  last_activity_ = std::chrono::steady_clock::now();
  feed(bytes);
  read();
}

void connection::feed(std::string_view bytes) {
  bool ok = engine_->feed(bytes);
  if (upgrade_) finish_upgrade();
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
    writing_busy_ = true;
    writing_.swap(out_);
    out_.clear();
    transport_->write(asio::buffer(writing_), [self = shared_from_this()](
                                                  const asio::error_code& ec, std::size_t) {
      self->on_written(ec);
    });
    read();
    return;
  }
  bool done = engine_->should_close() || (input_failed_ && engine_->open_streams() == 0);
  if (!writing_busy_ && out_.empty() && done) {
    close();
    return;
  }
  read();  // resumes reading after HTTP/1.1 back-pressure
}

void connection::on_written(const asio::error_code& ec) {
  writing_busy_ = false;
  writing_.clear();
  if (closed_) return;
  if (ec) {
    log::net()->debug("{} write failed: {}", peer_, ec.message());
    return close();
  }
  notify_drains();
  pump();
}

void connection::notify_drains() {
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

void connection::arm_idle_timer() {
  auto limit = engine_ ? ctx_->idle_timeout : ctx_->request_timeout;
  idle_timer_.expires_at(last_activity_ + limit);
  idle_timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (ec || self->closed_) return;
    auto current = self->engine_ ? self->ctx_->idle_timeout : self->ctx_->request_timeout;
    bool idle = !self->engine_ || self->engine_->open_streams() == 0;
    if (idle && std::chrono::steady_clock::now() - self->last_activity_ >= current) {
      log::net()->debug("{} idle for {} ms: closing", self->peer_, current.count());
      if (self->engine_) {
        self->engine_->shutdown();  // idle: should_close follows at once
        self->input_failed_ = true;
        self->pump();
      } else {
        self->close();
      }
      return;
    }
    if (!idle) self->last_activity_ = std::chrono::steady_clock::now();
    self->arm_idle_timer();
  });
}

void connection::shutdown() {
  if (closed_) return;
  push_->set_closing();
  if (!engine_) return close();
  engine_->shutdown();
  pump();
}

void connection::close() {
  if (closed_) return;
  closed_ = true;
  idle_timer_.cancel();
  transport_->close();
  for (auto& [id, s] : streams_) {
    if (s.actor) caf::anon_send_exit(s.actor, caf::exit_reason::user_shutdown);
  }
  auto left = std::move(streams_);
  streams_.clear();
  drain_watchers_.clear();
  for (auto& [id, s] : left) s.chain->finish(stream_end_reason::connection_closed);
  // Last: this may drop the last reference once pending handlers have run.
  worker_.connections.erase(shared_from_this());
}

}  // namespace rodeo
