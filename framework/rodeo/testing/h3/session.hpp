#pragma once
/// \file
/// The non-blocking core of Rodeo's push-capable HTTP/3 client: one QUIC connection on a
/// connected UDP socket (ngtcp2 0.12 with GnuTLS), nghttp3 0.8 for request streams and QPACK,
/// and the push layer's client side (rodeo/internal/protocol/http3/push), since nghttp3 0.8
/// fails a connection on any PUSH_PROMISE or push stream.
///
/// The caller owns the loop: it waits for fd() to be readable (and writable while
/// wants_write()), and for next_timer(); then calls on_readable(), flush() or on_timer().
/// client.hpp runs one session with poll(2), one request at a time; bench/pushload runs many
/// in one epoll loop. What the server sends comes back through a session_handler.
///
/// What the push layer does here: MAX_PUSH_ID (and CANCEL_PUSH) frames are put on the
/// client's control stream after nghttp3's SETTINGS, with offset bookkeeping so that nghttp3's
/// own acknowledgements stay exact; each response stream goes through a request_stream_filter
/// (promises out, their bytes' flow-control credit given back); each server unidirectional
/// stream goes through a push_stream_reader (push streams read here, the rest to nghttp3).
/// The client advertises QPACK dynamic table capacity 0, so that every field section it gets
/// is static-only and the push layer's decoder reads promises and push streams alone.
///
/// The certificate is not verified (a test client, like ngtcp2's gtlsclient).

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rodeo/internal/protocol/http3/push/field.hpp"
#include "rodeo/internal/protocol/http3/push/push_stream_reader.hpp"
#include "rodeo/internal/protocol/http3/push/request_stream_filter.hpp"

namespace rodeo::test::h3 {

using rodeo::http3::push::field;

struct session_options {
  /// The TLS server name (SNI); empty: none (the host is an address).
  std::string server_name{};
  /// MAX_PUSH_ID to send; nullopt: none, the server may not push (every browser today).
  std::optional<std::uint64_t> max_push_id{};
  /// A second MAX_PUSH_ID sent right after the first. For tests of a server's checks: a
  /// lower one is H3_ID_ERROR (RFC 9114 §7.2.7), which closes the connection.
  std::optional<std::uint64_t> then_max_push_id{};
  /// Unidirectional streams the server may open: its 3 critical streams plus push streams.
  std::uint64_t max_streams_uni = 103;
  /// Flow-control windows: per stream and for the connection (RFC 9000 §4).
  std::uint64_t stream_window = 1 << 20;
  std::uint64_t connection_window = 16 << 20;
  /// Never give request streams more credit than `stream_window`: a client that stopped
  /// reading its responses (tests of a server's send timeout). The connection's credit
  /// still returns.
  bool hold_credit = false;
};

/// What the server sent, reported as it is read. Callbacks run inside the session's calls
/// (on_readable, flush, on_timer) and must not destroy the session.
class session_handler {
 public:
  virtual ~session_handler() = default;
  /// A field of a response (`trailer`: of its trailers); pseudo-fields included.
  virtual void on_field(std::int64_t /*stream*/, field /*f*/, bool /*trailer*/) {}
  /// A piece of a response body; its flow-control credit is given back at once.
  virtual void on_data(std::int64_t /*stream*/, std::span<const std::uint8_t> /*data*/) {}
  /// The response on `stream` is complete.
  virtual void on_end(std::int64_t /*stream*/) {}
  /// The request stream closed; `app_error` is H3_NO_ERROR (0x100) unless it was reset.
  virtual void on_close(std::int64_t /*stream*/, std::uint64_t /*app_error*/) {}
  /// The server reset the request stream (RESET_STREAM) with `app_error`; reported at once,
  /// also while the client's side of the stream is still open (a stalled upload).
  virtual void on_reset(std::int64_t /*stream*/, std::uint64_t /*app_error*/) {}
  /// A PUSH_PROMISE on `stream`; `before_response`: no field of that stream's response was
  /// read before it (RFC 9114 §4.6).
  virtual void on_promise(std::int64_t /*stream*/, rodeo::http3::push::promise& /*p*/,
                          bool /*before_response*/) {}
  /// Something read from a push stream (its push ID, fields, body pieces, end).
  virtual void on_push(rodeo::http3::push::push_stream_event& /*e*/) {}
  /// The server reset a push stream: that push will not come.
  virtual void on_push_reset(std::uint64_t /*push_id*/) {}
  /// The server sent GOAWAY (RFC 9114 §5.2): requests on streams from `id` on are not
  /// processed, and no new request should be sent.
  virtual void on_goaway(std::int64_t /*id*/) {}
};

class session {
 public:
  session(session_options options, session_handler& handler);
  ~session();  ///< closes the connection (CONNECTION_CLOSE, H3_NO_ERROR) if it is open
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  /// Opens a UDP socket to `remote` and starts the handshake (call flush() next).
  /// False on failure (see failure()).
  bool open(const sockaddr* remote, socklen_t len);
  int fd() const;
  /// The handshake is done and the HTTP/3 streams are open: requests may be submitted.
  bool ready() const;
  /// How many more requests the server's stream limit allows now.
  std::uint64_t requests_left() const;
  /// Sends a request without body; returns its stream ID, or -1 (see failure()).
  /// `fields` start with the pseudo-fields (RFC 9114 §4.3.1).
  std::int64_t submit(const std::vector<field>& fields);
  /// Sends a request whose body is `body_start` and then never ends (a client whose upload
  /// stalled: tests of a server's body timeout). Returns its stream ID, or -1.
  std::int64_t submit_stalled(const std::vector<field>& fields, std::string body_start);
  /// Refuses a promised push with CANCEL_PUSH (RFC 9114 §7.2.3).
  void cancel_push(std::uint64_t push_id);

  /// The socket is readable: reads every datagram waiting, then writes what is due.
  void on_readable();
  /// Writes what is due (packets, acknowledgements, requests).
  void flush();
  /// When on_timer() is due (loss detection, delayed ACKs, idle timeout).
  std::chrono::steady_clock::time_point next_timer() const;
  void on_timer();
  /// A datagram is waiting for the socket to take it: wait for it to be writable.
  bool wants_write() const;
  /// Why the connection failed or ended, in a few words; empty while it is healthy.
  const std::string& failure() const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace rodeo::test::h3
