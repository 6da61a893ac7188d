#pragma once
/// \file
/// The listener: Asio acceptors for a clear-text port (HTTP/1.1, h2c by prior knowledge or
/// upgrade) and a TLS port (ALPN h2 or http/1.1), one io_context per I/O thread, and the
/// graceful stop (stop accepting, GOAWAY, let running streams finish within a deadline).

#include <caf/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "rodeo/middleware.hpp"
#include "rodeo/protocol.hpp"
#include "rodeo/push_metrics.hpp"
#include "rodeo/result.hpp"

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
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds request_timeout{10'000};
  bool access_log = true;
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
