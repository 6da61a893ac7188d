// What the worker loop drives: one client connection, HTTP/2 (connection.hpp) or HTTP/3
// (h3_connection.hpp). The epoll data of its socket points at it.
#pragma once

#include <cstdint>
#include <memory>

#include "worker.hpp"

class load_connection {
 public:
  virtual ~load_connection() = default;
  /// Connects now (first start, or a reconnect).
  virtual void start() = 0;
  /// Handles epoll events for this connection's socket.
  virtual void on_event(std::uint32_t events) = 0;
  /// Runs what is due: a reconnect, or (HTTP/3) the QUIC timers. Called by the worker loop,
  /// never from on_event.
  virtual void on_timer() = 0;
  /// When on_timer() is due next; max() when only reconnects are (those are polled).
  virtual run_clock::time_point next_timer() const { return run_clock::time_point::max(); }
  /// True while pages are in flight or owed (used to end a -n run).
  virtual bool busy() const = 0;
};

/// The connection the options ask for (--h3 or not).
std::unique_ptr<load_connection> make_connection(worker_context& ctx, int id);
