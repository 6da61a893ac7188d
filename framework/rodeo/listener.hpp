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

#include "rodeo/actor_placement.hpp"
#include "rodeo/error_page.hpp"
#include "rodeo/metrics.hpp"
#include "rodeo/middleware.hpp"
#include "rodeo/protocol_limits.hpp"
#include "rodeo/push_metrics.hpp"
#include "rodeo/push_policy.hpp"
#include "rodeo/quic_retry.hpp"
#include "rodeo/result.hpp"
#include "rodeo/stream_handler.hpp"
#include "rodeo/stream_handlers/access_log_stream_h.hpp"

namespace rodeo {

struct listener_options {
  std::string bind = "127.0.0.1";
  /// Clear-text port; 0 picks an ephemeral port; unset: no clear-text listener.
  std::optional<std::uint16_t> port{};
  /// TLS port; 0 picks an ephemeral port; unset: no TLS listener.
  std::optional<std::uint16_t> tls_port{};
  /// PEM files; when both are empty and tls_port is set, a self-signed certificate for
  /// localhost, 127.0.0.1, ::1 and `bind` is made at start.
  std::string cert_file{}, key_file{};
  /// Over TLS a request whose host (`:authority` or `host`, port ignored) the certificate
  /// does not cover (its subjectAltName DNS names and IP addresses, read at start) is
  /// answered 421 Misdirected Request without running the chain (RFC 9110 §15.5.20, RFC 9113
  /// §9.1.1): the server is not authoritative for it, and must not push for it (§8.4).
  /// True serves such requests anyway (a certificate that lists no name the clients use).
  /// Clear-text ports have no certificate and no such check.
  bool allow_misdirected = false;
  /// HTTP/3 (RFC 9114) over QUIC on UDP beside the TLS port, with the same certificate and
  /// key (docs/http3.md). Only with a TLS port; false: no QUIC listener. A build configured
  /// with RODEO_HTTP3=OFF has none either.
  bool quic = true;
  /// The QUIC (UDP) port; unset: the TLS port's number (as bound, so with tls_port 0 the
  /// same ephemeral number). 0 picks an ephemeral port.
  std::optional<std::uint16_t> quic_port{};
  /// `alt-svc: h3=":PORT"` (RFC 7838, RFC 9114 §3.1.1) on the responses of the TLS port,
  /// so that clients learn the QUIC port. Only while the QUIC listener runs.
  bool alt_svc = true;
  /// Address validation before the QUIC handshake (RFC 9000 §8.1.2): a new client's first
  /// Initial is answered with a Retry carrying a token (bound to its address, expiring after
  /// a few seconds), and only an Initial echoing a valid token gets a connection. `never`,
  /// `under_load` (when more than quic_retry_handshakes handshakes are in progress) or
  /// `always`. Invalid tokens get CONNECTION_CLOSE INVALID_TOKEN; metrics().quic() counts.
  rodeo::quic_retry quic_retry = rodeo::quic_retry::under_load;
  /// quic_retry::under_load: handshakes in progress above which new clients get a Retry.
  std::size_t quic_retry_handshakes = 64;
  unsigned io_threads = 1;
  /// Where request actors run: CAF's workers (the default) or the io thread of their
  /// connection (see actor_placement.hpp for the trade-off). The environment variable
  /// RODEO_ACTOR_PLACEMENT (`workers` or `io_thread`), when set, overrides it: a deployment
  /// or a test run can try the other placement without a rebuild.
  rodeo::actor_placement actor_placement = rodeo::actor_placement::workers;
  /// actor_placement::io_thread: an actor turn longer than this moves its actor to CAF's
  /// workers (a turn cannot be interrupted: this bounds the delay to the io thread's other
  /// connections only from the second long turn on). Must be > 0.
  std::chrono::microseconds actor_time_slice{2'000};
  protocol_limits limits{};
  // Timeouts. Each is checked on a per-connection tick of an eighth of the shortest (10 ms
  // to 1 s), so a deadline is enforced within that much after it passed. All must be > 0.

  /// A connection with no stream open, no write in progress and nothing read for this long
  /// is closed (GOAWAY in HTTP/2). Open streams and writes keep it, however slow: stalled
  /// ones are the send and body timeouts' business.
  std::chrono::milliseconds idle_timeout{60'000};
  /// Absolute deadline, from the accept, for a new connection's first request head (TLS
  /// handshake; HTTP/1.1 request line and fields; HTTP/2 preface, SETTINGS and the first
  /// HEADERS). Bytes trickled in do not extend it (slowloris). On expiry HTTP/1.1 answers
  /// 408 with `connection: close`, HTTP/2 sends GOAWAY, then the connection closes.
  std::chrono::milliseconds request_timeout{10'000};
  /// HTTP/1.1: absolute deadline for every later request head, from its first byte (an empty
  /// line before the request line counts), as nginx's client_header_timeout; 408 and close.
  /// (An HTTP/2 header block left unfinished is bounded by the idle timeout.)
  std::chrono::milliseconds header_timeout{10'000};
  /// A request body that receives no byte for this long ends its stream: HTTP/1.1 408 and
  /// close (the response is cut if it had started); HTTP/2 408 when nothing was answered
  /// yet, else RST_STREAM(CANCEL); HTTP/3 likewise (408, else RESET_STREAM and STOP_SENDING
  /// H3_REQUEST_CANCELLED). The request actor ends (terminate reason `reset`). Not
  /// counted while the server itself stopped reading (output back-pressure).
  std::chrono::milliseconds body_timeout{30'000};
  /// Output that makes no progress for this long closes the connection: a socket write
  /// pending with no byte taken by the peer. An HTTP/2 stream whose data is held back only by
  /// the peer's flow-control window for this long is reset (RST_STREAM CANCEL) and its
  /// request actor ends; if the connection window itself stays closed, GOAWAY and close.
  /// An HTTP/3 request or push stream alike (RESET_STREAM H3_REQUEST_CANCELLED; a closed
  /// MAX_DATA window closes the QUIC connection).
  /// A slow reader that takes some bytes now and then is not cut.
  std::chrono::milliseconds send_timeout{30'000};
  /// After the server gave up on a connection (idle, a timeout, a protocol error) and only
  /// the flush is left, how long the socket may still take to flush before it is shut
  /// regardless. A close the peer asked for (`connection: close`) flushes at the peer's
  /// pace, bounded by send_timeout.
  std::chrono::milliseconds linger_timeout{1'000};
  /// Open connections at most (both ports together). At the limit a new connection takes
  /// the place of the oldest connection (on its io thread) that has sent no complete request
  /// yet, which is closed: holding connections open without a request (slowloris) cannot
  /// lock out clients that send one. When every connection has sent a request, the new
  /// socket is accepted and closed at once (the client sees the close at once instead of
  /// waiting in the backlog),
  /// with one warning a second at most on rodeo.net saying how many were closed so far
  /// (listener::refused_connections). 0: the descriptor limit less a reserve of 5% of it, at
  /// least 32, for files being served and the process's own (rodeo/internal/net/fd_limit.hpp); with the
  /// usual limits of 1,024 and 524,288 that is 973 and 498,074.
  ///
  /// At start the soft descriptor limit (RLIMIT_NOFILE) is raised to the hard limit. Should
  /// the process still run out of descriptors (a larger max_connections, files held open),
  /// an acceptor that fails with EMFILE, ENFILE, ENOBUFS or ENOMEM accepts and closes the
  /// sockets waiting in its backlog through a reserve descriptor, then pauses 100 ms before
  /// accepting again; the warning is rate-limited the same way.
  std::size_t max_connections = 0;
  /// Output queued on one connection (socket buffer and protocol engine) above which its
  /// producers wait (and, for what waits for the socket, the connection stops reading its
  /// peer; output held by HTTP/2 flow control does not stop reading, the peer's
  /// WINDOW_UPDATE must get in): drain notices (`on_drain`,
  /// the static handler's next read) are held, `stream_body` holds the handler's messages
  /// once `req::stream_output_window` bytes are unacknowledged, and `req.push` answers
  /// `output_full`. Must be above 0.
  std::size_t max_connection_output = 1024 * 1024;
  /// Output queued on all connections of this listener above which every connection's
  /// producers wait and reading stops too (server_context::queued_output counts it). Must
  /// be at least max_connection_output.
  std::size_t output_budget = 256 * 1024 * 1024;
  /// How `req.push` delivers (push_policy.hpp); a route overrides it with push_policy_key.
  rodeo::push_policy push_policy = rodeo::push_policy::push_or_hint;
  /// Early hints (103) over HTTP/1.1 too, not only HTTP/2 (push_policy.hpp says why not).
  bool early_hints_over_http1 = false;
  /// Cache-aware push (docs/push.md, "Cache digest"): a response that pushed sets a cookie
  /// holding a digest of the pushed resources, and later pushes of resources in it, or from a
  /// conditional request, are skipped as `client_cached`. False: push regardless.
  bool push_cache_digest = true;
  /// The access log: one line per stream end (rodeo.access logger, stdout), the first stream
  /// handler of every stream.
  bool access_log = true;
  /// Its line, with `$variables` (access_log_stream_h.hpp lists them). A bad format stops
  /// start-up with one line.
  std::string access_log_format{access_log_format::default_format};
  /// The registry this listener's metrics go to (requests, durations, the push funnel),
  /// fed by the built-in `metrics_stream_h(registry)` after the access log. Unset: the
  /// listener makes its own. Set it to serve it with `rodeo::metrics_handler(registry)`
  /// (routes are made before the listener starts).
  std::shared_ptr<metrics_registry> metrics{};
  /// Stream handlers every stream runs after the built-in ones (access log, metrics), in
  /// this order (stream_handler.hpp), e.g. rodeo::compress_stream_h().
  std::vector<stream_handler_factory> stream_handlers{};
  /// The middleware chain every request runs, e.g. rodeo::mw::default_chain(routes).
  middleware_chain chain{};
  /// The `server` field of every response (RFC 9110 §10.2.4), HTTP/1.1 and HTTP/2; empty:
  /// none. A handler's own `server` field wins.
  std::string server_header{};
  /// Renders the body of the framework's 4xx/5xx responses (rodeo/error_page.hpp); empty:
  /// the framework's text.
  error_page_fn error_page{};
  /// rodeo::serve's graceful stop: how long running streams get to finish after SIGINT or
  /// SIGTERM (loop handlers are told at once, handler_base::on_shutdown) before the
  /// connections are closed. Must be > 0.
  std::chrono::milliseconds stop_timeout{5'000};
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
  /// The bound QUIC (UDP) port; 0 when there is none.
  std::uint16_t quic_port() const;

  /// The push funnel of every connection of this listener (part of metrics()).
  const rodeo::push_metrics& push_metrics() const;
  /// This listener's metrics registry (listener_options::metrics, or its own).
  const metrics_registry& metrics() const;

  /// New connections closed at once because max_connections were open.
  std::uint64_t refused_connections() const;

  /// Graceful stop: stop accepting, GOAWAY / close-after-response on every connection, wait
  /// up to `deadline` for running streams, then close what is left. Idempotent.
  void stop(std::chrono::milliseconds deadline = std::chrono::seconds(5));

  struct impl;

 private:
  explicit listener(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace rodeo
