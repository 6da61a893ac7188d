#pragma once
/// \file
/// The I/O side of a connection: it owns the transport (TCP or TLS), runs the handshake,
/// keeps at most one read and one write in flight, queues what is to be written, and ticks
/// one timer for the connection's deadlines. It knows bytes, not protocols: what it read and
/// what happened go to its `user` (the connection), which decides what to write and when to
/// read. It enforces the deadlines that concern the socket alone: the send timeout (a write
/// that makes no progress) and the linger timeout (a flush the peer does not take).

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rodeo/internal/net/transport.hpp"
#include "rodeo/internal/protocol/gathered_output.hpp"

namespace rodeo {

class transport_driver {
 public:
  using clock = std::chrono::steady_clock;

  /// What the driver reports; called on the io thread.
  class user {
   public:
    virtual ~user() = default;
    /// The handshake succeeded; `alpn` is the TLS ALPN protocol ("" on clear text).
    virtual void on_handshake(std::string_view alpn) = 0;
    /// Bytes read (valid during the call only).
    virtual void on_input(std::string_view bytes) = 0;
    /// A write completed: output went down.
    virtual void on_output_progress() = 0;
    /// A timer tick, for the deadlines the user keeps.
    virtual void on_tick(clock::time_point now) = 0;
    /// The peer closed, an operation failed or a socket deadline passed: the user closes.
    virtual void on_broken() = 0;
  };

  struct options {
    clock::duration tick = std::chrono::seconds(1);
    std::chrono::milliseconds send_timeout{30'000};
    std::chrono::milliseconds linger_timeout{1'000};
    /// Reading stops while more than this waits for the socket...
    std::size_t max_output = 1024 * 1024;
    /// ...or while anything does and `*shared_output` (all connections) is above this.
    std::size_t output_budget = 256 * 1024 * 1024;
    const std::atomic<std::size_t>* shared_output = nullptr;
  };

  /// The largest piece handed to one socket write, so that a slow but steady reader shows
  /// progress to the send timeout between two completions.
  static constexpr std::size_t write_chunk = 128 * 1024;

  transport_driver(asio::io_context& io, std::unique_ptr<transport> t, options opts);

  /// Starts the timer and the handshake. Each operation in flight holds `owner` alive.
  void start(std::weak_ptr<user> owner);
  /// Starts a read unless one is in flight, the driver is closed or output waits above the
  /// limits (back-pressure: a write completion or a tick calls the user, which reads again).
  void read();
  /// Where the user appends what to write (bytes, shared bodies); `flush` writes it.
  gathered_output& outbox() { return out_; }
  /// Starts writing the outbox unless a write is in flight. True when it started one.
  bool flush();
  /// Closes the transport and stops the timer; idempotent. Operations in flight complete
  /// without calling the user.
  void close();

  /// Nothing to write: frees the capacity the write buffers kept from the last burst.
  void trim();

  /// From now on only the flush is left: the linger timeout runs (once).
  void linger();

  bool closed() const { return closed_; }
  bool reading() const { return reading_; }
  bool writing() const { return writing_busy_; }
  /// Nothing waits for the socket and no write is in flight.
  bool flushed() const { return !writing_busy_ && out_.empty(); }
  /// Bytes waiting for the socket (the outbox and the rest of the write in flight).
  std::size_t pending() const { return out_.size() + writing_.size(); }
  /// True while output waiting for the socket keeps the driver from reading.
  bool read_blocked() const;
  transport& io() { return *transport_; }
  const std::string& peer() const { return peer_; }

 private:
  void arm_timer();
  void write_next();
  void on_written(const asio::error_code& ec);
  bool check_deadlines(clock::time_point now);

  std::unique_ptr<transport> transport_;
  options opts_;
  std::weak_ptr<user> owner_;
  user* user_ = nullptr;
  std::string peer_;
  asio::steady_timer timer_;
  gathered_output out_;                  // waiting for the write in flight to finish
  gathered_output writing_;              // being written; what is written is consumed
  std::vector<asio::const_buffer> iov_;  // the pieces of the write in flight
  bool reading_ = false, writing_busy_ = false, closed_ = false;
  clock::time_point write_progress_;               // the last write completion (or its start)
  std::optional<clock::time_point> linger_since_;  // only the flush is left since then
};

}  // namespace rodeo
