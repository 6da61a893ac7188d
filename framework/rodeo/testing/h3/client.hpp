#pragma once
/// \file
/// A small blocking HTTP/3 client that takes server pushes, one request at a time, on top of
/// session.hpp (ngtcp2 + GnuTLS, nghttp3, and Rodeo's push layer on the client side: no other
/// client on this platform sends MAX_PUSH_ID). For tests and benchmarks; not installed.
/// The certificate is not verified (a test client, like ngtcp2's gtlsclient).

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "rodeo/internal/protocol/http3/push/field.hpp"

namespace rodeo::test::h3 {

using rodeo::http3::push::field;

struct client_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 443;
  /// The TLS server name (SNI); empty: none (host is an address).
  std::string server_name{};
  /// MAX_PUSH_ID to send; nullopt: none, the server may not push (every browser today).
  std::optional<std::uint64_t> max_push_id{};
  /// A second MAX_PUSH_ID sent right after the first. For tests of a server's checks: a
  /// lower one is H3_ID_ERROR (RFC 9114 §7.2.7), which closes the connection.
  std::optional<std::uint64_t> then_max_push_id{};
  /// Push IDs to refuse with CANCEL_PUSH as soon as they are promised.
  std::set<std::uint64_t> cancel{};
  /// Longest wait for the handshake or one exchange.
  std::chrono::milliseconds timeout{10000};
  /// Unidirectional streams the server may open: its 3 critical streams plus push streams.
  std::uint64_t max_streams_uni = 103;
  /// The flow-control window of each request stream (the server's response bytes in flight).
  std::uint64_t stream_window = 1 << 20;
  /// Never give request streams more credit than `stream_window`: a client that stopped
  /// reading its responses (tests of a server's send timeout). The connection's credit
  /// still returns.
  bool hold_credit = false;
};

struct response {
  int status = 0;
  std::vector<field> headers;  ///< pseudo-fields included
  std::string body;
  std::vector<field> trailers;
  bool complete = false;
  /// The server reset the stream (RESET_STREAM) with this application error code.
  std::optional<std::uint64_t> reset{};
};

struct pushed {
  std::uint64_t push_id = 0;
  std::vector<field> promise;  ///< the promised request's fields
  response resp;
  bool cancelled = false;  ///< the client sent CANCEL_PUSH for it
  bool promised = false;
  bool reset = false;  ///< the server reset its push stream (a push it would not serve)
  /// The promise arrived before any field of its parent's response (RFC 9114 §4.6).
  bool before_response = false;
};

struct exchange {
  response resp;
  std::vector<pushed> pushes;  ///< promised on this request's stream, in push ID order
};

/// The connection failed (handshake, protocol error, timeout): `what()` says which.
struct client_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class client {
 public:
  explicit client(client_options options);
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  /// The QUIC handshake; throws client_error.
  void connect();
  /// GET `path`; returns when the response and every push promised on its stream are
  /// complete (or cancelled). Throws client_error.
  exchange get(const std::string& path, const std::vector<field>& extra = {});
  /// POST `path` sending only `body_start` of its body, never its end (a client whose upload
  /// stalled: tests of a server's body timeout); returns once the response is complete or
  /// the server reset the stream. Throws client_error.
  exchange post_stalled(const std::string& path, const std::string& body_start);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace rodeo::test::h3
