#pragma once
/// \file
/// What every connection of a listener shares: the actor system, the middleware chain, the
/// limits and timeouts. Read-only after start, except `stopping`.

#include <asio/io_context.hpp>
#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "rodeo/actor_placement.hpp"
#include "rodeo/error_page.hpp"
#include "rodeo/internal/actor/io_unit.hpp"
#include "rodeo/internal/actor/request_starter.hpp"
#include "rodeo/internal/net/log_throttle.hpp"
#include "rodeo/internal/net/tls/served_names.hpp"
#include "rodeo/internal/protocol/protocol.hpp"
#include "rodeo/metrics.hpp"
#include "rodeo/middleware.hpp"
#include "rodeo/push_metrics.hpp"
#include "rodeo/push_policy.hpp"
#include "rodeo/quic_retry.hpp"
#include "rodeo/stream_handler.hpp"

namespace rodeo {

class connection;

struct server_context {
  explicit server_context(caf::actor_system& s) : sys(s) {}
  caf::actor_system& sys;
  std::shared_ptr<const middleware_chain> chain;
  /// listener_options::error_page, null if none.
  std::shared_ptr<const error_page_fn> error_page;
  protocol_limits limits;
  /// listener_options::server_header (empty: no `server` field).
  std::string server_header;
  std::chrono::milliseconds idle_timeout{60'000};
  /// Time a new connection has to send its first request (Cowboy's request_timeout).
  std::chrono::milliseconds request_timeout{10'000};
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds send_timeout{30'000};
  std::chrono::milliseconds linger_timeout{1'000};
  std::size_t max_connections = 0;  ///< resolved at start (never 0 here)
  std::size_t max_connection_output = 1024 * 1024;
  std::size_t output_budget = 256 * 1024 * 1024;
  bool push_cache_digest = true;
  /// Output queued right now on all connections (bytes), against output_budget.
  std::atomic<std::size_t> queued_output{0};
  /// Connections open right now (both ports), against max_connections.
  std::atomic<std::size_t> open_connections{0};
  /// Every stream's handlers, built in ones first (listener.cpp).
  std::vector<stream_handler_factory> stream_handlers;
  std::atomic<bool> stopping{false};
  /// The listener's metrics; `pushes` is its push funnel (sharing its ownership).
  std::shared_ptr<metrics_registry> metrics = std::make_shared<metrics_registry>();
  std::shared_ptr<push_metrics> pushes{metrics, &metrics->pushes()};
  push_delivery delivery;
  /// The names the TLS certificate covers (null without a TLS port): requests on TLS
  /// connections for other hosts get 421 unless `allow_misdirected`.
  std::shared_ptr<const tls::served_names> tls_names;
  bool allow_misdirected = false;
  /// The `alt-svc` value TLS connections add to their responses (`h3=":PORT"` while the
  /// QUIC listener runs, listener_options::alt_svc); empty: none.
  std::string alt_svc;
  /// listener_options::quic_retry and quic_retry_handshakes.
  rodeo::quic_retry quic_retry = rodeo::quic_retry::under_load;
  std::size_t quic_retry_handshakes = 64;
  request_starter starter{sys};
  /// listener_options::actor_placement and actor_time_slice.
  rodeo::actor_placement actor_placement = rodeo::actor_placement::workers;
  std::chrono::microseconds actor_time_slice{2'000};
};

/// One I/O thread: its io_context and the connections living on it. The set is touched only
/// on that thread.
struct io_worker {
  asio::io_context io{1};
  /// actor_placement::io_thread: where this thread's request actors run, made by the first
  /// stream that needs it. Declared after `io`, so destroyed before it.
  std::unique_ptr<io_unit> unit;
  std::unordered_set<std::shared_ptr<connection>> connections;
  /// Request actors spawned by this thread's connections and not started yet: started
  /// together once the handlers already queued on `io` (other sockets that were ready) have
  /// run, one starter message for all of them (request_starter.hpp).
  std::vector<caf::actor> to_start;
  bool start_posted = false;
  /// This thread's connections that had sent no request yet, oldest first (entries for
  /// connections that since sent one, or closed, are dropped lazily). At max_connections a
  /// new connection takes the place of the first of them (listener.cpp).
  std::deque<std::weak_ptr<connection>> awaiting_request;
  /// Refused connections logged at most once a second per io thread.
  log_throttle refusals;
};

}  // namespace rodeo
