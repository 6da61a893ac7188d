#include "rodeo/internal/net/quic/endpoint.hpp"

#include <gnutls/crypto.h>

#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>
#include <algorithm>
#include <chrono>
#include <optional>

#include <asio/post.hpp>

#include "rodeo/internal/net/quic/clock.hpp"
#include "rodeo/internal/net/quic/connection.hpp"
#include "rodeo/log.hpp"

namespace rodeo::quic {

using asio::ip::udp;

endpoint::endpoint(std::shared_ptr<server_context> ctx, std::shared_ptr<io_worker> worker,
                   std::shared_ptr<const tls_credentials> tls)
    : ctx_(std::move(ctx)),
      worker_ref_(worker),
      io_(worker->io),
      worker_(*worker),
      tls_(std::move(tls)),
      socket_(worker->io) {
  gnutls_rnd(GNUTLS_RND_KEY, secret_.data(), secret_.size());
}

result<std::shared_ptr<endpoint>> endpoint::open(std::shared_ptr<server_context> ctx,
                                                 std::shared_ptr<io_worker> worker,
                                                 std::shared_ptr<const tls_credentials> tls,
                                                 const std::string& bind, std::uint16_t port) {
  std::shared_ptr<endpoint> ep{new endpoint(std::move(ctx), std::move(worker), std::move(tls))};
  asio::error_code ec;
  auto addr = asio::ip::make_address(bind, ec);
  if (ec) return failure("invalid bind address '" + bind + "': " + ec.message());
  udp::endpoint at{addr, port};
  ep->socket_.open(at.protocol(), ec);
  if (!ec) ep->socket_.bind(at, ec);
  if (!ec) ep->socket_.non_blocking(true, ec);
  if (ec)
    return failure("cannot listen on QUIC port " + bind + ":" + std::to_string(port) + ": " +
                   ec.message());
  // Room for bursts of a fast sender and of our own (best effort: the kernel caps them).
  asio::error_code ignored;
  ep->socket_.set_option(asio::socket_base::receive_buffer_size(4 << 20), ignored);
  ep->socket_.set_option(asio::socket_base::send_buffer_size(4 << 20), ignored);
  ep->local_ = ep->socket_.local_endpoint(ec);
  ep->port_ = ep->local_.port();
  return ep;
}

void endpoint::start() {
  asio::post(io_, [self = shared_from_this()] { self->receive(); });
}

void endpoint::receive() {
  if (closed_) return;
  socket_.async_receive_from(
      asio::buffer(buf_), peer_,
      [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
        if (self->closed_ || ec == asio::error::operation_aborted) return;
        if (!ec) {
          self->on_datagram(n);
          self->drain();
        }
        self->receive();
      });
}

void endpoint::drain() {
  // The datagrams already waiting are read now, in one turn of the io loop: a connection that
  // gets several (a client's burst, many acknowledgements) writes once after all of them
  // (connection::on_datagram schedules its write), not once per datagram. Bounded, so that
  // one busy socket does not hold the io thread from its TCP connections.
  for (int i = 0; i < max_drain && !closed_; ++i) {
    asio::error_code ec;
    auto n = socket_.receive_from(asio::buffer(buf_), peer_, 0, ec);
    if (ec) return;  // would_block: nothing more waiting (the socket is non-blocking)
    on_datagram(n);
  }
}

void endpoint::on_datagram(std::size_t n) {
  const std::uint8_t* data = buf_.data();
  ngtcp2_version_cid vc;
  int rv = ngtcp2_pkt_decode_version_cid(&vc, data, n, cid_length);
  if (rv == NGTCP2_ERR_VERSION_NEGOTIATION) {
    // RFC 9000 §6.1: a version this server does not speak.
    version_negotiation(vc.scid, vc.scidlen, vc.dcid, vc.dcidlen);
    return;
  }
  if (rv != 0) return;  // not QUIC, or garbage: dropped without a word
  std::string_view dcid{reinterpret_cast<const char*>(vc.dcid), vc.dcidlen};
  if (auto it = by_cid_.find(dcid); it != by_cid_.end()) {
    auto c = it->second;  // the connection may remove itself meanwhile
    c->on_datagram(data, n, peer_);
    return;
  }
  if ((data[0] & 0x80) == 0) {
    // A short-header packet of a connection we do not know (a restart, or an old one):
    // RFC 9000 §10.3 lets the peer learn at once.
    stateless_reset(vc.dcid, vc.dcidlen, n);
    return;
  }
  ngtcp2_pkt_hd hd;
  if (ngtcp2_accept(&hd, data, n) != 0) return;  // not a valid Initial (a truncated one)
  if (stopping_ || ctx_->stopping) return;
  if (ctx_->open_connections.load(std::memory_order_relaxed) >= ctx_->max_connections) {
    if (worker_.refusals.note(std::chrono::steady_clock::now()))
      log::net()->warn("max_connections {} reached: QUIC Initial dropped", ctx_->max_connections);
    return;
  }
  // RFC 9000 §8.1.2: an Initial echoing a Retry token proves the client's address; one
  // whose token fails is closed with INVALID_TOKEN (§8.1.3: it will not take another Retry).
  // A token of any other kind (NEW_TOKEN's, which this server never sends) counts as none.
  std::optional<ngtcp2_cid> odcid;
  if (retry_tokens::is_retry_token(hd.token.base, hd.token.len)) {
    odcid = tokens_.check(hd.token.base, hd.token.len, hd.version,
                          reinterpret_cast<const ngtcp2_sockaddr*>(peer_.data()),
                          static_cast<ngtcp2_socklen>(peer_.size()), hd.dcid, now_ts());
    if (!odcid) return refuse_token(hd);
    ctx_->metrics->quic().validated.fetch_add(1, std::memory_order_relaxed);
  } else if (retry_wanted()) {
    return send_retry(hd);
  }
  auto c = connection::accept(shared_from_this(), hd, peer_, odcid);
  if (!c) return;
  connections_[c.get()] = c;
  // The client's Initials name the DCID it chose until it hears ours (RFC 9000 §7.2).
  add_cid(std::string{dcid}, c);
  c->on_datagram(data, n, peer_);
}

bool endpoint::retry_wanted() const {
  switch (ctx_->quic_retry) {
    case quic_retry::never:
      return false;
    case quic_retry::always:
      return true;
    case quic_retry::under_load:
      break;
  }
  return handshakes_ >= ctx_->quic_retry_handshakes;
}

void endpoint::send_retry(const ngtcp2_pkt_hd& hd) {
  // The connection ID the client must use next; the token binds it, so an Initial to any
  // other ID with this token fails.
  ngtcp2_cid retry_scid;
  retry_scid.datalen = cid_length;
  if (gnutls_rnd(GNUTLS_RND_NONCE, retry_scid.data, retry_scid.datalen) != 0) return;
  auto token =
      tokens_.make(hd.version, reinterpret_cast<const ngtcp2_sockaddr*>(peer_.data()),
                   static_cast<ngtcp2_socklen>(peer_.size()), retry_scid, hd.dcid, now_ts());
  if (token.empty()) return;
  std::array<std::uint8_t, NGTCP2_MAX_UDP_PAYLOAD_SIZE> out{};
  auto len =
      ngtcp2_crypto_write_retry(out.data(), out.size(), hd.version, &hd.scid, &retry_scid, &hd.dcid,
                                reinterpret_cast<const std::uint8_t*>(token.data()), token.size());
  if (len <= 0) return;
  send(peer_, out.data(), static_cast<std::size_t>(len));
  ctx_->metrics->quic().retries.fetch_add(1, std::memory_order_relaxed);
}

void endpoint::refuse_token(const ngtcp2_pkt_hd& hd) {
  ctx_->metrics->quic().invalid_tokens.fetch_add(1, std::memory_order_relaxed);
  if (auto left_out = token_log_.note(std::chrono::steady_clock::now()))
    log::net()->debug(
        "{}:{} QUIC Initial with an invalid Retry token: INVALID_TOKEN ({} more "
        "left out)",
        peer_.address().to_string(), peer_.port(), *left_out);
  // An Initial packet of our own keyed by the client's DCID, as its Initial was; nothing kept.
  std::array<std::uint8_t, NGTCP2_MAX_UDP_PAYLOAD_SIZE> out{};
  auto len = ngtcp2_crypto_write_connection_close(out.data(), out.size(), hd.version, &hd.scid,
                                                  &hd.dcid, NGTCP2_INVALID_TOKEN, nullptr, 0);
  if (len > 0) send(peer_, out.data(), static_cast<std::size_t>(len));
}

void endpoint::version_negotiation(const std::uint8_t* dcid, std::size_t dcidlen,
                                   const std::uint8_t* scid, std::size_t scidlen) {
  std::array<std::uint8_t, NGTCP2_MAX_UDP_PAYLOAD_SIZE> out{};
  const std::uint32_t versions[] = {NGTCP2_PROTO_VER_V1};
  std::uint8_t unused = 0;
  gnutls_rnd(GNUTLS_RND_NONCE, &unused, 1);
  auto len = ngtcp2_pkt_write_version_negotiation(out.data(), out.size(), unused, dcid, dcidlen,
                                                  scid, scidlen, versions, 1);
  if (len > 0) send(peer_, out.data(), static_cast<std::size_t>(len));
}

void endpoint::stateless_reset(const std::uint8_t* dcid, std::size_t dcidlen,
                               std::size_t received) {
  // RFC 9000 §10.3.3: smaller than the packet that caused it, so that two endpoints cannot
  // loop; too small a packet gets nothing.
  constexpr std::size_t token = NGTCP2_STATELESS_RESET_TOKENLEN;
  if (dcidlen != cid_length || received < 1 + token + NGTCP2_MIN_STATELESS_RESET_RANDLEN + 1)
    return;
  std::size_t randlen = std::min<std::size_t>(received - 1 - token - 1, 41);
  ngtcp2_cid cid;
  ngtcp2_cid_init(&cid, dcid, dcidlen);
  std::array<std::uint8_t, token> tok{};
  if (ngtcp2_crypto_generate_stateless_reset_token(tok.data(), secret_.data(), secret_.size(),
                                                   &cid) != 0)
    return;
  std::array<std::uint8_t, 64> rand{};
  gnutls_rnd(GNUTLS_RND_NONCE, rand.data(), randlen);
  std::array<std::uint8_t, 128> out{};
  auto len =
      ngtcp2_pkt_write_stateless_reset(out.data(), out.size(), tok.data(), rand.data(), randlen);
  if (len > 0) send(peer_, out.data(), static_cast<std::size_t>(len));
}

void endpoint::send(const udp::endpoint& to, const std::uint8_t* data, std::size_t n) {
  if (closed_) return;
  asio::error_code ec;
  // Non-blocking: a full socket buffer drops the datagram, and QUIC's loss recovery sends
  // it again (RFC 9002), as a router dropping it would.
  socket_.send_to(asio::buffer(data, n), to, 0, ec);
}

void endpoint::add_cid(const std::string& cid, const std::shared_ptr<connection>& c) {
  by_cid_[cid] = c;
}

void endpoint::remove_cid(const std::string& cid) { by_cid_.erase(cid); }

void endpoint::forget(const std::shared_ptr<connection>& c) {
  std::erase_if(by_cid_, [&](const auto& kv) { return kv.second == c; });
  connections_.erase(c.get());
}

void endpoint::shutdown() {
  stopping_ = true;
  auto copy = connections_;
  for (auto& [p, c] : copy) c->shutdown();
}

void endpoint::close() {
  auto copy = connections_;
  for (auto& [p, c] : copy) {
    c->close();
  }
  // Their CONNECTION_CLOSE is out; nothing more is read.
  closed_ = true;
  asio::error_code ignored;
  socket_.close(ignored);
  by_cid_.clear();
  connections_.clear();
  handshakes_ = 0;
}

std::size_t endpoint::connection_count() const {
  return static_cast<std::size_t>(
      std::count_if(connections_.begin(), connections_.end(),
                    [](const auto& kv) { return kv.second->active(); }));
}

}  // namespace rodeo::quic
