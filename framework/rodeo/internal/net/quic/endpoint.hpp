#pragma once
/// \file
/// The QUIC listener: one UDP socket on the listener's bind address (IPv4 or IPv6, as the TCP
/// ports), its connections keyed by connection ID, and what a server says to packets of no
/// connection: Version Negotiation for an unknown version (RFC 9000 §6), a new connection
/// for a valid Initial (§7), a Stateless Reset for a short-header packet (§10.3), nothing
/// for the rest.
///
/// Everything runs on one io thread (the first): the socket, every QUIC connection, their
/// timers. Spreading connections over the io threads would need a socket per thread
/// (SO_REUSEPORT) and steering by connection ID; left for later. Request actors run on CAF's
/// workers as for TCP, so the io thread only does QUIC, TLS and HTTP/3 framing.
///
/// Address validation (RFC 9000 §8.1.2, listener_options::quic_retry): an Initial without a
/// token, when the listener wants one (always, or with too many handshakes in progress), gets
/// a Retry carrying a token (retry_tokens.hpp) and no state is kept; the Initial that echoes
/// a valid token gets the connection. Until then the 3x amplification limit (which ngtcp2
/// enforces) is the only guard.

#include <asio/ip/udp.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "rodeo/internal/net/log_throttle.hpp"
#include "rodeo/internal/net/quic/retry_tokens.hpp"
#include "rodeo/internal/net/server_context.hpp"
#include "rodeo/result.hpp"

namespace rodeo::quic {

class connection;
class tls_credentials;

class endpoint : public std::enable_shared_from_this<endpoint> {
 public:
  /// Length of the connection IDs this server issues.
  static constexpr std::size_t cid_length = 18;

  /// Binds the UDP socket. The error is one line naming the address.
  static result<std::shared_ptr<endpoint>> open(std::shared_ptr<server_context> ctx,
                                                std::shared_ptr<io_worker> worker,
                                                std::shared_ptr<const tls_credentials> tls,
                                                const std::string& bind, std::uint16_t port);

  /// Starts receiving. On any thread.
  void start();
  std::uint16_t port() const { return port_; }

  /// Graceful stop of every connection (GOAWAY, then close when its streams are done). On
  /// the io thread.
  void shutdown();
  /// Closes every connection and the socket. On the io thread.
  void close();
  /// Connections open now. On the io thread.
  std::size_t connection_count() const;

  // --- for connections, on the io thread ---
  void send(const asio::ip::udp::endpoint& to, const std::uint8_t* data, std::size_t n);
  void add_cid(const std::string& cid, const std::shared_ptr<connection>& c);
  void remove_cid(const std::string& cid);
  void forget(const std::shared_ptr<connection>& c);
  const asio::ip::udp::endpoint& local() const { return local_; }
  /// The secret stateless reset tokens are derived from (RFC 9000 §10.3.2).
  const std::array<std::uint8_t, 32>& static_secret() const { return secret_; }
  const std::shared_ptr<server_context>& ctx() const { return ctx_; }
  /// The io thread's worker (for the stream tables); null once the listener is gone.
  std::shared_ptr<io_worker> worker() const { return worker_ref_.lock(); }
  asio::io_context& io() const { return io_; }
  const tls_credentials& tls() const { return *tls_; }
  /// A connection's handshake began or ended (completed, failed or given up): the count
  /// quic_retry::under_load weighs.
  void handshake_started() { ++handshakes_; }
  void handshake_ended() {
    if (handshakes_ > 0) --handshakes_;
  }

 private:
  endpoint(std::shared_ptr<server_context> ctx, std::shared_ptr<io_worker> worker,
           std::shared_ptr<const tls_credentials> tls);
  void receive();
  /// Reads what else is waiting on the socket, up to `max_drain` datagrams.
  void drain();
  static constexpr int max_drain = 64;
  void on_datagram(std::size_t n);
  void version_negotiation(const std::uint8_t* dcid, std::size_t dcidlen, const std::uint8_t* scid,
                           std::size_t scidlen);
  void stateless_reset(const std::uint8_t* dcid, std::size_t dcidlen, std::size_t received);
  bool retry_wanted() const;
  void send_retry(const ngtcp2_pkt_hd& hd);
  void refuse_token(const ngtcp2_pkt_hd& hd);

  std::shared_ptr<server_context> ctx_;
  // Weak: the io_context holds this endpoint (its pending receive) and must not be held by it.
  std::weak_ptr<io_worker> worker_ref_;
  asio::io_context& io_;
  io_worker& worker_;
  std::shared_ptr<const tls_credentials> tls_;
  asio::ip::udp::socket socket_;
  asio::ip::udp::endpoint local_;
  asio::ip::udp::endpoint peer_;  ///< sender of the datagram being received
  std::uint16_t port_ = 0;
  std::array<std::uint8_t, 65536> buf_{};
  std::array<std::uint8_t, 32> secret_{};
  retry_tokens tokens_;  ///< under a secret of their own
  std::size_t handshakes_ = 0;
  log_throttle token_log_;  ///< invalid tokens: one debug line a second at most
  // Found by a string_view of the datagram's DCID: no key allocation per datagram (an
  // 18-byte CID does not fit std::string's small buffer).
  struct cid_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view cid) const noexcept {
      return std::hash<std::string_view>{}(cid);
    }
  };
  std::unordered_map<std::string, std::shared_ptr<connection>, cid_hash, std::equal_to<>> by_cid_;
  std::unordered_map<connection*, std::shared_ptr<connection>> connections_;
  bool closed_ = false;
  bool stopping_ = false;
};

}  // namespace rodeo::quic
