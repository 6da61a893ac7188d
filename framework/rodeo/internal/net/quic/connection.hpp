#pragma once
/// \file
/// One QUIC connection (RFC 9000) carrying HTTP/3: an ngtcp2 server connection with its
/// GnuTLS session, the HTTP/3 engine, and the same stream table as a TCP connection (request
/// actors, stream handlers, the access log with protocol "h3"). On the QUIC endpoint's io
/// thread.
///
///   datagram -> ngtcp2_conn_read_pkt -> recv_stream_data -> engine.read_stream -> on_request
///   -> stream_table.open ... on_command -> stream_table.apply -> engine.reply -> write()
///   -> engine.write_next -> ngtcp2_conn_writev_stream -> datagram
///
/// Timers: one per connection, armed at ngtcp2_conn_get_expiry (loss detection, ACK delay,
/// idle timeout, pacing). Pacing: write() sends at most ngtcp2's send quantum per call, then
/// ngtcp2_conn_update_pkt_tx_time (from the first RTT sample on: pacing.hpp); the expiry
/// brings the next burst.
/// Stream deadlines: a second timer ticks (an eighth of the shorter of body_timeout and
/// send_timeout, 10 ms to 1 s) while HTTP/3 runs, as on TCP connections: a request body
/// that receives no byte for body_timeout gets 408 (or, once its response started, the
/// stream is cancelled: RESET_STREAM and STOP_SENDING H3_REQUEST_CANCELLED); a response (or
/// push) that only the peer's flow control holds back for send_timeout is cancelled alike;
/// when the connection's window itself stays closed, the connection is closed.
/// Flow control: the bytes nghttp3 consumes, and request body bytes once handed to the
/// stream table, return their credit (ngtcp2_conn_extend_max_stream_offset and
/// extend_max_offset).

#include <gnutls/gnutls.h>
#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rodeo/internal/actor/stream_link.hpp"
#include "rodeo/internal/protocol/http3/engine.hpp"
#include "rodeo/internal/stream/push_state.hpp"
#include "rodeo/internal/stream/stream_table.hpp"

namespace rodeo::quic {

class endpoint;

class connection final : public protocol_events,
                         public command_sink,
                         public http3::quic_streams,
                         public std::enable_shared_from_this<connection> {
 public:
  /// A connection for the client Initial `hd` from `peer`. `odcid`: the client's original
  /// DCID when `hd` carried a valid Retry token (the endpoint checked it). Null when ngtcp2
  /// or GnuTLS fail.
  static std::shared_ptr<connection> accept(const std::shared_ptr<endpoint>& ep,
                                            const ngtcp2_pkt_hd& hd,
                                            const asio::ip::udp::endpoint& peer,
                                            const std::optional<ngtcp2_cid>& odcid);
  ~connection() override;

  /// A datagram for this connection.
  void on_datagram(const std::uint8_t* data, std::size_t n, const asio::ip::udp::endpoint& from);
  /// Graceful stop: GOAWAY; closes once its streams are done.
  void shutdown();
  /// Immediate close (CONNECTION_CLOSE H3_NO_ERROR); request actors are told to exit.
  void close();
  /// False once closing: only the closing or draining period is left (RFC 9000 §10.2).
  bool active() const { return !closing_ && !dropped_; }

  // protocol_events
  void on_request(stream_id id, request_head head) override;
  void on_body(stream_id id, std::string_view data, bool fin) override;
  void on_stream_reset(stream_id id, std::uint32_t error_code) override;
  void on_stream_done(stream_id id) override;
  void on_push_capability(push_capability now) override;
  // command_sink
  void on_command(stream_id id, command c) override;
  // http3::quic_streams
  void stop_reading(std::int64_t id, std::uint64_t code) override;
  void reset_writing(std::int64_t id, std::uint64_t code) override;
  void consumed(std::int64_t id, std::size_t n) override;
  std::optional<std::int64_t> open_uni() override;
  std::uint64_t uni_streams_left() const override;
  bool connection_blocked() const override;

  // ngtcp2 callbacks (connection.cpp)
  struct callbacks;

 private:
  connection(std::shared_ptr<endpoint> ep, const asio::ip::udp::endpoint& peer);
  bool init(const ngtcp2_pkt_hd& hd, const std::optional<ngtcp2_cid>& odcid);
  void end_handshake();
  void start_http3();
  void write();
  void schedule_write();
  void arm_timer();
  void on_timer();
  void arm_tick();
  void on_tick();
  /// True when they ended or cancelled a stream (there is something to write).
  bool check_bodies(std::chrono::steady_clock::time_point now);
  bool check_stalled_streams(std::chrono::steady_clock::time_point now);
  bool over_output(std::size_t to_come = 0) const;
  /// Sends CONNECTION_CLOSE with `err` and drops the connection after the closing period.
  void fail(const ngtcp2_connection_close_error& err);
  void drop();
  void check_done();
  ngtcp2_path path();

  std::shared_ptr<endpoint> ep_;
  std::shared_ptr<server_context> ctx_;
  asio::ip::udp::endpoint peer_;
  std::string peer_text_;
  ngtcp2_crypto_conn_ref conn_ref_{};
  ngtcp2_conn* conn_ = nullptr;
  gnutls_session_t tls_ = nullptr;
  std::shared_ptr<push_state> push_;
  std::unique_ptr<http3::engine> engine_;
  stream_table streams_;
  asio::steady_timer timer_;
  /// The expiry timer_ waits for (UINT64_MAX: none): arm_timer re-arms only for an earlier one.
  std::uint64_t timer_at_ = UINT64_MAX;
  asio::steady_timer tick_;        ///< body and send timeouts
  std::vector<std::string> cids_;  ///< every connection ID the endpoint routes to this
  bool write_posted_ = false;
  bool closing_ = false;  ///< CONNECTION_CLOSE sent or draining: only waiting to drop
  bool dropped_ = false;
  bool counted_ = false;
  bool handshaking_ = false;  ///< counted in the endpoint's handshakes in progress
};

}  // namespace rodeo::quic
