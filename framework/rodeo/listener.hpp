#pragma once
/// \file
/// The listener: Asio acceptors for a clear-text port (HTTP/1.1, h2c by prior knowledge or
/// upgrade) and a TLS port (ALPN h2 or http/1.1), one io_context per I/O thread, and the
/// graceful stop (stop accepting, GOAWAY, let running streams finish within a deadline).

#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rodeo/access_log_stream_h.hpp"
#include "rodeo/middleware.hpp"
#include "rodeo/protocol.hpp"
#include "rodeo/push_metrics.hpp"
#include "rodeo/result.hpp"
#include "rodeo/stream_handler.hpp"

namespace rodeo {

struct listener_options {
  std::string bind = "127.0.0.1";
  /// Clear-text port; 0 picks an ephemeral port; unset: no clear-text listener.
  std::optional<std::uint16_t> port;
  /// TLS port; 0 picks an ephemeral port; unset: no TLS listener.
  std::optional<std::uint16_t> tls_port;
  /// PEM files; when both are empty and tls_port is set, a self-signed certificate for
  /// localhost, 127.0.0.1, ::1 and `bind` is made at start.
  std::string cert_file, key_file;
  unsigned io_threads = 1;
  protocol_limits limits;
  /// A connection with no stream open and nothing read or written for this long is closed.
  std::chrono::milliseconds idle_timeout{60'000};
  /// Absolute deadline for a new connection's first request head (HTTP/1.1 request line and
  /// fields; HTTP/2 preface, SETTINGS and the first HEADERS; TLS handshake included). Bytes
  /// trickled in do not extend it (slowloris).
  std::chrono::milliseconds request_timeout{10'000};
  /// Absolute deadline for every later request head, from its first byte (nginx's
  /// client_header_timeout). HTTP/1.1 keep-alive requests; HTTP/2 header blocks.
  std::chrono::milliseconds header_timeout{10'000};
  /// A request body that makes no progress (no byte received) for this long ends its stream:
  /// 408 when nothing was answered yet, else a reset.
  std::chrono::milliseconds body_timeout{30'000};
  /// Output that makes no progress for this long (the peer does not read, or keeps an HTTP/2
  /// flow-control window at zero) closes the connection (or resets the blocked stream).
  std::chrono::milliseconds send_timeout{30'000};
  /// After a graceful close was decided (idle, error, stop), how long the socket may still
  /// take to flush before it is shut regardless (Cowboy's linger_timeout).
  std::chrono::milliseconds linger_timeout{1'000};
  /// Open connections at most (both ports); beyond it new sockets are accepted and closed at
  /// once. 0: the descriptor limit (raised to the hard limit at start) less a reserve.
  std::size_t max_connections = 0;
  /// Output queued on one connection (socket and engine) above which its request actors'
  /// producers (stream_body, static file reads, pushes) wait, and reading stops.
  std::size_t max_connection_output = 1024 * 1024;
  /// Output queued on all connections of this listener above which producers wait too.
  std::size_t output_budget = 256 * 1024 * 1024;
  /// The access log: one line per stream end (rodeo.access logger, stdout), the first stream
  /// handler of every stream.
  bool access_log = true;
  /// Its line, with `$variables` (access_log_stream_h.hpp lists them). A bad format stops
  /// start-up with one line.
  std::string access_log_format{access_log_format::default_format};
  /// Stream handlers every stream runs after the built-in ones (access log, push funnel), in
  /// this order (stream_handler.hpp), e.g. rodeo::compress_stream_h().
  std::vector<stream_handler_factory> stream_handlers;
  /// The middleware chain every request runs, e.g. rodeo::mw::default_chain(routes).
  middleware_chain chain;
};

class listener {
 public:
  /// Binds, starts the I/O threads and accepts. A bad option or a port in use gives one
  /// clear line as the error.
  static result<std::unique_ptr<listener>> start(caf::actor_system& sys, listener_options opts);

  ~listener();
  listener(const listener&) = delete;
  listener& operator=(const listener&) = delete;

  /// The bound ports (useful with port 0); 0 when that listener is off.
  std::uint16_t port() const;
  std::uint16_t tls_port() const;

  /// The push funnel of every connection of this listener.
  const rodeo::push_metrics& push_metrics() const;

  /// Graceful stop: stop accepting, GOAWAY / close-after-response on every connection, wait
  /// up to `deadline` for running streams, then close what is left. Idempotent.
  void stop(std::chrono::milliseconds deadline = std::chrono::seconds(5));

  struct impl;

 private:
  explicit listener(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace rodeo
