#include "rodeo/internal/net/quic/connection.hpp"

#include <gnutls/crypto.h>
#include <nghttp3/nghttp3.h>

#include <asio/post.hpp>

#include <algorithm>
#include <array>

#include "rodeo/internal/net/quic/clock.hpp"
#include "rodeo/internal/net/quic/endpoint.hpp"
#include "rodeo/internal/net/quic/pacing.hpp"
#include "rodeo/internal/net/quic/tls_credentials.hpp"
#include "rodeo/log.hpp"

namespace rodeo::quic {

namespace {

using clock = std::chrono::steady_clock;

std::string text(const asio::ip::udp::endpoint& e) {
  return e.address().to_string() + ":" + std::to_string(e.port());
}

std::string cid_key(const ngtcp2_cid& c) {
  return {reinterpret_cast<const char*>(c.data), c.datalen};
}

// Datagrams per write() burst at most, whatever the send quantum says.
constexpr std::size_t max_burst = 64;

}  // namespace

struct connection::callbacks {
  static connection& self(void* user) { return *static_cast<connection*>(user); }

  static ngtcp2_conn* get_conn(ngtcp2_crypto_conn_ref* ref) {
    return static_cast<connection*>(ref->user_data)->conn_;
  }
  static void rand(std::uint8_t* dest, std::size_t n, const ngtcp2_rand_ctx*) {
    gnutls_rnd(GNUTLS_RND_RANDOM, dest, n);
  }
  static int get_new_connection_id(ngtcp2_conn*, ngtcp2_cid* cid, std::uint8_t* token,
                                   std::size_t cidlen, void* user) {
    auto& c = self(user);
    if (gnutls_rnd(GNUTLS_RND_RANDOM, cid->data, cidlen) != 0) return NGTCP2_ERR_CALLBACK_FAILURE;
    cid->datalen = cidlen;
    const auto& secret = c.ep_->static_secret();
    if (ngtcp2_crypto_generate_stateless_reset_token(token, secret.data(), secret.size(), cid) != 0)
      return NGTCP2_ERR_CALLBACK_FAILURE;
    c.cids_.push_back(cid_key(*cid));
    c.ep_->add_cid(c.cids_.back(), c.shared_from_this());
    return 0;
  }
  static int remove_connection_id(ngtcp2_conn*, const ngtcp2_cid* cid, void* user) {
    auto& c = self(user);
    auto key = cid_key(*cid);
    std::erase(c.cids_, key);
    c.ep_->remove_cid(key);
    return 0;
  }
  static int recv_tx_key(ngtcp2_conn*, ngtcp2_crypto_level level, void* user) {
    // 1-RTT keys: the server may open its control and QPACK streams now.
    if (level == NGTCP2_CRYPTO_LEVEL_APPLICATION) self(user).start_http3();
    return 0;
  }
  static int recv_stream_data(ngtcp2_conn*, std::uint32_t flags, std::int64_t id, std::uint64_t,
                              const std::uint8_t* data, std::size_t n, void* user, void*) {
    auto& c = self(user);
    if (!c.engine_) c.start_http3();
    if (!c.engine_->read_stream(id, {reinterpret_cast<const char*>(data), n},
                                (flags & NGTCP2_STREAM_DATA_FLAG_FIN) != 0))
      return NGTCP2_ERR_CALLBACK_FAILURE;  // connection error: fail() from on_datagram
    return 0;
  }
  static int acked_stream_data_offset(ngtcp2_conn*, std::int64_t id, std::uint64_t offset,
                                      std::uint64_t n, void* user, void*) {
    auto& c = self(user);
    if (c.engine_) c.engine_->acked(id, offset, static_cast<std::size_t>(n));
    return 0;
  }
  static int extend_max_local_streams_uni(ngtcp2_conn*, std::uint64_t, void* user) {
    // The client allows more unidirectional streams: room for push streams.
    auto& c = self(user);
    if (c.engine_) c.engine_->uni_streams_extended();
    return 0;
  }
  static int stream_close(ngtcp2_conn* conn, std::uint32_t flags, std::int64_t id,
                          std::uint64_t code, void* user, void*) {
    auto& c = self(user);
    if (!(flags & NGTCP2_STREAM_CLOSE_FLAG_APP_ERROR_CODE_SET)) code = http3::h3_no_error;
    if (c.engine_) c.engine_->stream_closed(id, code);
    // A request stream done: the client may open another (RFC 9000 §4.6).
    if (ngtcp2_is_bidi_stream(id)) ngtcp2_conn_extend_max_streams_bidi(conn, 1);
    return 0;
  }
  static int stream_reset(ngtcp2_conn*, std::int64_t id, std::uint64_t, std::uint64_t, void* user,
                          void*) {
    auto& c = self(user);
    if (c.engine_) c.engine_->peer_reset(id);
    return 0;
  }
  static int stream_stop_sending(ngtcp2_conn*, std::int64_t id, std::uint64_t, void* user, void*) {
    auto& c = self(user);
    if (c.engine_) c.engine_->peer_reset(id);
    return 0;
  }
  static int handshake_completed(ngtcp2_conn*, void* user) {
    self(user).end_handshake();
    return 0;
  }
  static int extend_max_stream_data(ngtcp2_conn*, std::int64_t id, std::uint64_t, void* user,
                                    void*) {
    auto& c = self(user);
    if (c.engine_) c.engine_->unblock(id);
    return 0;
  }
};

std::shared_ptr<connection> connection::accept(const std::shared_ptr<endpoint>& ep,
                                               const ngtcp2_pkt_hd& hd,
                                               const asio::ip::udp::endpoint& peer,
                                               const std::optional<ngtcp2_cid>& odcid) {
  std::shared_ptr<connection> c{new connection(ep, peer)};
  if (!c->init(hd, odcid)) return nullptr;
  return c;
}

connection::connection(std::shared_ptr<endpoint> ep, const asio::ip::udp::endpoint& peer)
    : ep_(std::move(ep)),
      ctx_(ep_->ctx()),
      peer_(peer),
      peer_text_(text(peer)),
      push_(std::make_shared<push_state>(false, ctx_->pushes)),
      streams_(ctx_, ep_->worker(), push_, peer_text_,
               [this](std::size_t to_come) { return over_output(to_come); }),
      timer_(ep_->io()),
      tick_(ep_->io()) {
  push_->set_delivery(ctx_->delivery);
  push_->set_cache_digest(ctx_->push_cache_digest);
}

connection::~connection() {
  if (conn_) ngtcp2_conn_del(conn_);
  if (tls_) gnutls_deinit(tls_);
  if (counted_) ctx_->open_connections.fetch_sub(1, std::memory_order_relaxed);
}

ngtcp2_path connection::path() {
  const auto& local = ep_->local();
  return ngtcp2_path{
      {const_cast<sockaddr*>(reinterpret_cast<const sockaddr*>(local.data())),
       static_cast<ngtcp2_socklen>(local.size())},
      {reinterpret_cast<sockaddr*>(peer_.data()), static_cast<ngtcp2_socklen>(peer_.size())},
      nullptr};
}

bool connection::init(const ngtcp2_pkt_hd& hd, const std::optional<ngtcp2_cid>& odcid) {
  ngtcp2_callbacks cbs{};
  cbs.recv_client_initial = ngtcp2_crypto_recv_client_initial_cb;
  cbs.recv_crypto_data = ngtcp2_crypto_recv_crypto_data_cb;
  cbs.encrypt = ngtcp2_crypto_encrypt_cb;
  cbs.decrypt = ngtcp2_crypto_decrypt_cb;
  cbs.hp_mask = ngtcp2_crypto_hp_mask_cb;
  cbs.update_key = ngtcp2_crypto_update_key_cb;
  cbs.delete_crypto_aead_ctx = ngtcp2_crypto_delete_crypto_aead_ctx_cb;
  cbs.delete_crypto_cipher_ctx = ngtcp2_crypto_delete_crypto_cipher_ctx_cb;
  cbs.get_path_challenge_data = ngtcp2_crypto_get_path_challenge_data_cb;
  cbs.version_negotiation = ngtcp2_crypto_version_negotiation_cb;
  cbs.rand = callbacks::rand;
  cbs.get_new_connection_id = callbacks::get_new_connection_id;
  cbs.remove_connection_id = callbacks::remove_connection_id;
  cbs.recv_tx_key = callbacks::recv_tx_key;
  cbs.recv_stream_data = callbacks::recv_stream_data;
  cbs.acked_stream_data_offset = callbacks::acked_stream_data_offset;
  cbs.stream_close = callbacks::stream_close;
  cbs.stream_reset = callbacks::stream_reset;
  cbs.stream_stop_sending = callbacks::stream_stop_sending;
  cbs.extend_max_stream_data = callbacks::extend_max_stream_data;
  cbs.extend_max_local_streams_uni = callbacks::extend_max_local_streams_uni;
  cbs.handshake_completed = callbacks::handshake_completed;

  ngtcp2_settings settings;
  ngtcp2_settings_default(&settings);
  settings.initial_ts = now_ts();
  settings.cc_algo = NGTCP2_CC_ALGO_CUBIC;
  // A handshake that does not finish within the request timeout is given up (slowloris).
  settings.handshake_timeout =
      static_cast<ngtcp2_duration>(ctx_->request_timeout.count()) * NGTCP2_MILLISECONDS;

  const auto& limits = ctx_->limits;
  ngtcp2_transport_params params;
  ngtcp2_transport_params_default(&params);
  // Per request stream as HTTP/2's INITIAL_WINDOW_SIZE; the connection's room for 16 of them.
  params.initial_max_stream_data_bidi_remote = limits.initial_window_size;
  params.initial_max_stream_data_uni = 256 * 1024;
  params.initial_max_data = limits.initial_window_size * 16;
  params.initial_max_streams_bidi = limits.max_concurrent_streams;
  // The client's control and QPACK streams (RFC 9114 §6.2) and room for extensions.
  params.initial_max_streams_uni = 3;
  params.max_idle_timeout =
      static_cast<ngtcp2_duration>(ctx_->idle_timeout.count()) * NGTCP2_MILLISECONDS;
  // RFC 9000 §7.3: after a Retry the server names the client's first DCID (from the token)
  // and the connection ID its Retry chose (the DCID of this Initial), so that the client
  // can tell nobody tampered with the exchange.
  if (odcid) {
    params.original_dcid = *odcid;
    params.retry_scid = hd.dcid;
    params.retry_scid_present = 1;
    // The validated token: ngtcp2 then treats the path as validated (no 3x limit).
    settings.token = hd.token;
  } else {
    params.original_dcid = hd.dcid;
  }
  params.stateless_reset_token_present = 1;
  params.active_connection_id_limit = 7;

  ngtcp2_cid scid;
  scid.datalen = endpoint::cid_length;
  if (gnutls_rnd(GNUTLS_RND_RANDOM, scid.data, scid.datalen) != 0) return false;
  const auto& secret = ep_->static_secret();
  if (ngtcp2_crypto_generate_stateless_reset_token(params.stateless_reset_token, secret.data(),
                                                   secret.size(), &scid) != 0)
    return false;

  auto p = path();
  if (ngtcp2_conn_server_new(&conn_, &hd.scid, &scid, &p, hd.version, &cbs, &settings, &params,
                             nullptr, this) != 0)
    return false;
  conn_ref_.get_conn = callbacks::get_conn;
  conn_ref_.user_data = this;
  tls_ = ep_->tls().new_session(&conn_ref_);
  if (!tls_) return false;
  ngtcp2_conn_set_tls_native_handle(conn_, tls_);
  // Routed by the connection ID this server chose (the client's next packets carry it).
  cids_.push_back(cid_key(scid));
  ep_->add_cid(cids_.back(), shared_from_this());
  ctx_->open_connections.fetch_add(1, std::memory_order_relaxed);
  counted_ = true;
  handshaking_ = true;
  ep_->handshake_started();
  return true;
}

bool connection::over_output(std::size_t to_come) const {
  auto queued = engine_ ? engine_->queued_total() : 0;
  return queued + to_come > ctx_->max_connection_output ||
         ctx_->queued_output.load(std::memory_order_relaxed) > ctx_->output_budget;
}

void connection::start_http3() {
  if (engine_ || dropped_) return;
  http3::options o;
  o.send_date = true;
  o.server = ctx_->server_header;
  engine_ = std::make_unique<http3::engine>(*this, *this, ctx_->limits, o);
  streams_.bind(weak_from_this());
  streams_.use_engine(*engine_, "h3", /*secure=*/true);
  push_->set_served(ctx_->tls_names);
  push_->update(engine_->can_push());
  if (!engine_->start()) return;  // the next read or write fails the connection
  if (ctx_->stopping) engine_->shutdown();
  arm_tick();
}

// As TCP connections check theirs: an eighth of the shorter timeout, 10 ms to 1 s.
void connection::arm_tick() {
  if (dropped_ || closing_) return;
  auto every = std::clamp<clock::duration>(std::min(ctx_->body_timeout, ctx_->send_timeout) / 8,
                                           std::chrono::milliseconds(10), std::chrono::seconds(1));
  tick_.expires_after(every);
  tick_.async_wait([weak = weak_from_this()](const asio::error_code& ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->on_tick();
  });
}

void connection::on_tick() {
  if (dropped_ || closing_ || !engine_) return;
  auto now = clock::now();
  bool acted = check_bodies(now);
  if (!dropped_ && !closing_) acted = check_stalled_streams(now) || acted;
  if (dropped_ || closing_) return;
  if (acted) write();  // the 408s, resets and STOP_SENDINGs go out now
  arm_tick();
}

// body_timeout: a request body that receives no byte for that long ends its stream (408
// when nothing was answered yet, RFC 9110 §15.5.9; else the stream is cancelled). The
// server never stops reading a QUIC stream for back-pressure (body bytes are credited once
// handed to the stream table), so a stalled body is the client's doing.
bool connection::check_bodies(clock::time_point now) {
  auto stalled = streams_.stalled_bodies(now, ctx_->body_timeout);
  for (auto id : stalled) {
    log::net()->debug("{} h3 stream {} request body stalled for {} ms", peer_text_, id,
                      ctx_->body_timeout.count());
    streams_.time_out_body(id);
    // RFC 9114 §4.1.1: the rest of the request is not wanted (H3_NO_ERROR after a 408; a
    // cancelled stream was stopped already). Without it the stream would stay half open
    // until the client sent its end.
    ngtcp2_conn_shutdown_stream_read(conn_, http3::engine::quic_id(id), http3::h3_no_error);
  }
  return !stalled.empty();
}

// send_timeout per stream: output held back only by the peer's flow control for that long
// cancels the stream (RFC 9114 §4.1.1 H3_REQUEST_CANCELLED: the peer broke no rule, the
// stream is just no longer worth keeping). When the connection's window (MAX_DATA) stays
// closed, or the stalled streams hold the connection's output allowance while others wait,
// resetting streams one by one would only let the next ones stall in turn: the connection
// closes, as an HTTP/2 connection sends GOAWAY and closes.
bool connection::check_stalled_streams(clock::time_point now) {
  auto stalled = streams_.stalled_sends(now, ctx_->send_timeout);
  if (stalled.empty()) return false;
  if (engine_->connection_window_closed() || (streams_.waiting_for_room() && over_output())) {
    log::net()->debug("{} h3: {} streams held by flow control for {} ms: closing", peer_text_,
                      stalled.size(), ctx_->send_timeout.count());
    close();
    return true;
  }
  for (auto id : stalled) {
    log::net()->debug("{} h3 stream {} blocked by flow control for {} ms: cancelled", peer_text_,
                      id, ctx_->send_timeout.count());
    streams_.expect_timeout(id);
    engine_->cancel_stream(id);
  }
  return true;
}

void connection::on_datagram(const std::uint8_t* data, std::size_t n,
                             const asio::ip::udp::endpoint& from) {
  if (dropped_) return;
  if (closing_) return;  // closing or draining period (RFC 9000 §10.2): nothing more to read
  peer_ = from;          // ngtcp2 validates a new path itself (RFC 9000 §9)
  auto p = path();
  ngtcp2_pkt_info pi{};
  int rv = ngtcp2_conn_read_pkt(conn_, &p, &pi, data, n, now_ts());
  if (rv != 0) {
    switch (rv) {
      case NGTCP2_ERR_DRAINING:  // the peer closed: wait out the draining period
        closing_ = true;
        arm_timer();
        return;
      case NGTCP2_ERR_DROP_CONN:
        drop();
        return;
      default: {
        ngtcp2_connection_close_error err;
        ngtcp2_connection_close_error_default(&err);
        if (rv == NGTCP2_ERR_CRYPTO)
          ngtcp2_connection_close_error_set_transport_error_tls_alert(
              &err, ngtcp2_conn_get_tls_alert(conn_), nullptr, 0);
        else if (engine_ && engine_->error_code() != 0)
          ngtcp2_connection_close_error_set_application_error(&err, engine_->error_code(), nullptr,
                                                              0);
        else
          ngtcp2_connection_close_error_set_transport_error_liberr(&err, rv, nullptr, 0);
        log::net()->debug("{} QUIC connection error: {}", peer_text_, ngtcp2_strerror(rv));
        fail(err);
        return;
      }
    }
  }
  streams_.start_spawned();
  // After the other datagrams waiting now (endpoint::drain): one write for all of them.
  schedule_write();
}

void connection::write() {
  if (dropped_ || closing_) return;
  ngtcp2_path_storage ps;
  ngtcp2_path_storage_zero(&ps);
  ngtcp2_pkt_info pi{};
  const auto ts = now_ts();
  // One datagram at a time, sent before the next is written: a stack buffer (no allocation
  // per write) of the largest payload ngtcp2 0.12 writes (its default max_tx_udp_payload_size).
  std::array<std::uint8_t, NGTCP2_MAX_PMTUD_UDP_PAYLOAD_SIZE> buf;
  const std::size_t max_payload =
      std::min(ngtcp2_conn_get_max_tx_udp_payload_size(conn_), buf.size());
  const std::size_t burst =
      std::clamp<std::size_t>(ngtcp2_conn_get_send_quantum(conn_) / max_payload, 1, max_burst);
  std::size_t sent = 0;
  for (int guard = 0; sent < burst && guard < 4096; ++guard) {
    std::array<nghttp3_vec, 16> vec{};
    std::int64_t sid = -1;
    bool fin = false;
    long nvec = 0;
    if (engine_ && ngtcp2_conn_get_max_data_left(conn_) > 0) {
      nvec = engine_->write_next(sid, fin, vec.data(), vec.size());
      if (nvec < 0) {
        ngtcp2_connection_close_error err;
        ngtcp2_connection_close_error_default(&err);
        ngtcp2_connection_close_error_set_application_error(&err, engine_->error_code(), nullptr,
                                                            0);
        fail(err);
        return;
      }
    }
    std::uint32_t flags = NGTCP2_WRITE_STREAM_FLAG_MORE;
    if (fin) flags |= NGTCP2_WRITE_STREAM_FLAG_FIN;
    ngtcp2_ssize ndatalen = -1;
    auto nwrite = ngtcp2_conn_writev_stream(
        conn_, &ps.path, &pi, buf.data(), max_payload, &ndatalen, flags, sid,
        reinterpret_cast<const ngtcp2_vec*>(vec.data()), static_cast<std::size_t>(nvec), ts);
    if (nwrite < 0) {
      if (nwrite == NGTCP2_ERR_STREAM_DATA_BLOCKED) {
        engine_->block(sid);
        continue;
      }
      if (nwrite == NGTCP2_ERR_STREAM_SHUT_WR) {
        engine_->write_shut(sid);
        continue;
      }
      if (nwrite == NGTCP2_ERR_WRITE_MORE) {
        engine_->wrote(sid, static_cast<std::size_t>(ndatalen));
        continue;
      }
      ngtcp2_connection_close_error err;
      ngtcp2_connection_close_error_default(&err);
      ngtcp2_connection_close_error_set_transport_error_liberr(&err, static_cast<int>(nwrite),
                                                               nullptr, 0);
      fail(err);
      return;
    }
    if (ndatalen >= 0 && sid >= 0) engine_->wrote(sid, static_cast<std::size_t>(ndatalen));
    if (nwrite == 0) break;  // nothing more now (or pacing holds it)
    ep_->send(peer_, buf.data(), static_cast<std::size_t>(nwrite));
    ++sent;
  }
  // Not ngtcp2_conn_update_pkt_tx_time itself: see pacing.hpp (the 20 ms first-flight wait).
  update_pkt_tx_time(conn_, ts);
  streams_.notify_drains();
  arm_timer();
  check_done();
}

void connection::schedule_write() {
  if (write_posted_) return;
  write_posted_ = true;
  asio::post(ep_->io(), [self = shared_from_this()] {
    self->write_posted_ = false;
    self->write();
  });
}

void connection::arm_timer() {
  if (dropped_) return;
  ngtcp2_tstamp expiry;
  if (closing_) {
    // Closing or draining period: three times the PTO (RFC 9000 §10.2), then forget it.
    expiry = now_ts() + 3 * ngtcp2_conn_get_pto(conn_);
  } else {
    expiry = ngtcp2_conn_get_expiry(conn_);
    if (expiry == UINT64_MAX) return;
  }
  // Every datagram in or out moves ngtcp2's expiry, mostly later (ACK delay, loss detection,
  // idle). Re-arming each time costs a cancelled wait and a timerfd_settime per packet: keep
  // a wait that comes no later than the new expiry. If it fires early, on_timer finds nothing
  // due and arms again for the real expiry. The closing period's end is always re-armed: it
  // drops the connection, so it must not come early.
  if (!closing_ && timer_at_ <= expiry) return;
  timer_at_ = expiry;
  auto now = now_ts();
  auto wait = expiry > now ? std::chrono::nanoseconds(expiry - now) : std::chrono::nanoseconds(0);
  timer_.expires_after(wait);
  timer_.async_wait([weak = weak_from_this()](const asio::error_code& ec) {
    if (ec) return;  // cancelled by an earlier re-arm, which set timer_at_ itself
    if (auto self = weak.lock()) {
      self->timer_at_ = UINT64_MAX;
      self->on_timer();
    }
  });
}

void connection::on_timer() {
  if (dropped_) return;
  if (closing_) return drop();
  int rv = ngtcp2_conn_handle_expiry(conn_, now_ts());
  if (rv != 0) {
    // The idle timeout (RFC 9000 §10.1) or a handshake timeout: close silently.
    log::net()->debug("{} QUIC connection expired: {}", peer_text_, ngtcp2_strerror(rv));
    drop();
    return;
  }
  write();
}

void connection::fail(const ngtcp2_connection_close_error& err) {
  if (dropped_ || closing_) return;
  closing_ = true;
  if (!ngtcp2_conn_is_in_closing_period(conn_) && !ngtcp2_conn_is_in_draining_period(conn_)) {
    ngtcp2_path_storage ps;
    ngtcp2_path_storage_zero(&ps);
    ngtcp2_pkt_info pi{};
    std::array<std::uint8_t, NGTCP2_MAX_UDP_PAYLOAD_SIZE> buf{};
    auto n = ngtcp2_conn_write_connection_close(conn_, &ps.path, &pi, buf.data(), buf.size(), &err,
                                                now_ts());
    if (n > 0) ep_->send(peer_, buf.data(), static_cast<std::size_t>(n));
  }
  streams_.finish_all();
  arm_timer();
}

void connection::end_handshake() {
  if (!handshaking_) return;
  handshaking_ = false;
  ep_->handshake_ended();
}

void connection::drop() {
  if (dropped_) return;
  dropped_ = true;
  end_handshake();
  timer_.cancel();
  tick_.cancel();
  streams_.finish_all();
  for (const auto& cid : cids_) ep_->remove_cid(cid);
  cids_.clear();
  ep_->forget(shared_from_this());  // may drop the last reference once handlers ran
}

void connection::check_done() {
  if (engine_ && engine_->going_away() && engine_->should_close()) close();
}

void connection::shutdown() {
  if (dropped_ || closing_) return;
  push_->set_closing();
  if (!engine_) {
    close();
    return;
  }
  engine_->shutdown();
  streams_.notify_shutdown();
  write();
}

void connection::close() {
  if (dropped_) return;
  if (closing_) return drop();
  ngtcp2_connection_close_error err;
  ngtcp2_connection_close_error_default(&err);
  ngtcp2_connection_close_error_set_application_error(&err, http3::h3_no_error, nullptr, 0);
  fail(err);
}

// --- protocol_events ---

void connection::on_request(stream_id id, request_head head) {
  streams_.open(id, std::move(head), false);
}

void connection::on_body(stream_id id, std::string_view data, bool fin) {
  streams_.on_body(id, data, fin);
}

void connection::on_stream_reset(stream_id id, std::uint32_t error_code) {
  streams_.finish(id, {stream_finish::kind::reset, error_code});
}

void connection::on_stream_done(stream_id id) { streams_.finish(id, {stream_finish::kind::done}); }

void connection::on_push_capability(push_capability now) { push_->update(now); }

void connection::on_command(stream_id id, command c) {
  if (dropped_ || closing_) return;
  if (!streams_.apply(id, c)) return;
  schedule_write();
}

// --- http3::quic_streams ---

void connection::stop_reading(std::int64_t id, std::uint64_t code) {
  ngtcp2_conn_shutdown_stream_read(conn_, id, code);
}

void connection::reset_writing(std::int64_t id, std::uint64_t code) {
  ngtcp2_conn_shutdown_stream_write(conn_, id, code);
}

void connection::consumed(std::int64_t id, std::size_t n) {
  ngtcp2_conn_extend_max_stream_offset(conn_, id, n);
  ngtcp2_conn_extend_max_offset(conn_, n);
}

bool connection::connection_blocked() const { return ngtcp2_conn_get_max_data_left(conn_) == 0; }

std::uint64_t connection::uni_streams_left() const {
  return ngtcp2_conn_get_streams_uni_left(conn_);
}

std::optional<std::int64_t> connection::open_uni() {
  std::int64_t id = -1;
  if (ngtcp2_conn_open_uni_stream(conn_, &id, nullptr) != 0) return std::nullopt;
  return id;
}

}  // namespace rodeo::quic
