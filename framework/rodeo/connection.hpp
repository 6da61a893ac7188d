#pragma once
/// \file
/// A connection: one per socket, single-threaded on its io thread. It owns the transport
/// (TCP or TLS), the protocol engine (HTTP/1.1 or HTTP/2, chosen by ALPN, by sniffing the
/// HTTP/2 preface, or by `Upgrade: h2c`) and the stream table. It never blocks and never
/// runs user code: each request goes to its own request actor, whose commands come back here
/// through a stream_link and are applied to the engine in order.
///
///   bytes in -> engine.feed -> on_request -> spawn request actor -> ... -> on_command
///   -> engine.reply -> engine.take_output -> bytes out

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <caf/actor.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "rodeo/protocol.hpp"
#include "rodeo/server_context.hpp"
#include "rodeo/stream_chain.hpp"
#include "rodeo/stream_link.hpp"
#include "rodeo/transport.hpp"

namespace rodeo {

namespace http2 {
class engine;
}

class connection final : public protocol_events,
                         public command_sink,
                         public std::enable_shared_from_this<connection> {
 public:
  connection(std::shared_ptr<server_context> ctx, std::shared_ptr<io_worker> worker,
             std::unique_ptr<transport> t);
  ~connection() override;

  /// Registers with the io worker, runs the TLS handshake or sniffs, starts reading.
  void start();
  /// Graceful stop: GOAWAY / close after the current responses. On the io thread.
  void shutdown();
  /// Immediate close; request actors left behind are told to exit. On the io thread.
  void close();
  /// True while the peer has sent no request yet (TLS handshake, preface, first head).
  bool awaiting_request() const { return !first_request_ && !closed_; }
  /// Closed to make room at max_connections: it had sent no request. On the io thread.
  void evict();

  // protocol_events
  void on_request(stream_id id, request_head head) override;
  void on_body(stream_id id, std::string_view data, bool fin) override;
  void on_stream_reset(stream_id id, std::uint32_t error_code) override;
  void on_stream_done(stream_id id) override;
  void on_upgrade_h2c(request_head head, std::string settings, std::string rest) override;

  // command_sink
  void on_command(stream_id id, command c) override;

 private:
  /// A streaming handler is told to go on once its stream's queued output is below this
  /// (and the connection and listener are within their output limits).
  static constexpr std::size_t drain_low_water = 64 * 1024;
  /// The largest piece handed to one socket write, so that a slow but steady reader shows
  /// progress to the send timeout between two completions.
  static constexpr std::size_t write_chunk = 128 * 1024;

  struct stream_entry {
    caf::actor actor;
    // Shared: a command inside the chain keeps it alive while the engine ends the stream.
    std::shared_ptr<stream_chain> chain;
    bool replied = false;
    bool pushed = false;
    // body_timeout: the request body is still arriving; when its last byte came.
    bool body_open = false;
    std::chrono::steady_clock::time_point body_seen;
    // send_timeout (HTTP/2): output queued in the engine, and when it last went down or
    // was not held back by flow control.
    std::size_t queued_seen = 0;
    std::chrono::steady_clock::time_point send_progress;
  };

  using clock = std::chrono::steady_clock;

  void choose_protocol(std::string_view alpn);
  void sniff();
  void read();
  void on_read(const asio::error_code& ec, std::string_view bytes);
  void feed(std::string_view bytes);
  void pump();
  void on_written(const asio::error_code& ec);
  void write_next();
  void notify_drains();
  void arm_timer();
  void on_tick();
  bool check_deadlines(clock::time_point now);
  void check_bodies(clock::time_point now);
  void check_stalled_streams(clock::time_point now);
  void time_out_head(const char* what);
  void abort_after_flush();
  std::size_t output_bytes() const;
  bool over_output() const;
  bool over_output(std::size_t bytes) const;
  bool read_blocked() const;
  void account();
  void spawn(stream_id id, request_head head, bool pushed);
  void start_spawned();
  void apply(stream_id id, stream_entry& s, command& c);
  void push(stream_id parent, cmd::push& p);
  void sync_push_state();
  void use_engine(std::unique_ptr<protocol> e);
  void finish_upgrade();
  void end_stream(stream_id id, stream_end_reason why);
  std::string_view protocol_label() const;

  std::shared_ptr<server_context> ctx_;
  io_worker& worker_;
  // The links of this connection's streams share the worker, so that a request actor
  // outliving the listener posts into a stopped io_context, never a destroyed one. Weak
  // here: the worker's queue may hold this connection.
  std::weak_ptr<io_worker> worker_ref_;
  std::unique_ptr<transport> transport_;
  std::unique_ptr<protocol> engine_;
  http2::engine* h2_ = nullptr;  // engine_ when it is HTTP/2 (push needs its API)
  std::shared_ptr<push_state> push_;
  std::string peer_;
  std::unordered_map<stream_id, stream_entry> streams_;
  std::unordered_set<stream_id> drain_watchers_;

  std::string sniffed_;   // clear text: bytes read before the protocol was known
  std::string out_;       // bytes waiting for the write in flight to finish
  std::string writing_;   // bytes being written, from write_off_ on
  std::size_t write_off_ = 0;
  bool reading_ = false, writing_busy_ = false, closed_ = false;
  bool paused_ = false;        // reading stopped for back-pressure, the engine holds input
  bool pump_posted_ = false;   // a pump is queued behind the commands being applied
  bool input_failed_ = false;  // the engine refused input: write what it owes, then close

  // Set by on_upgrade_h2c inside the HTTP/1.1 engine's feed; acted on once feed returns.
  struct upgrade { request_head head; std::string settings, rest; };
  std::unique_ptr<upgrade> upgrade_;

  // One timer per connection, ticking while it lives: idle, request/header, body, send and
  // linger timeouts are all checked on its ticks (no timer re-armed per read or write).
  asio::steady_timer timer_;
  clock::duration tick_{};
  clock::time_point last_activity_;
  clock::time_point started_;          // request_timeout counts from here
  bool first_request_ = false;         // a request head arrived (request_timeout is over)
  std::optional<clock::time_point> head_started_;  // HTTP/1.1: a later head is arriving
  clock::time_point write_progress_;   // the last write completion (or its start)
  std::optional<clock::time_point> linger_since_;  // only the flush is left since then
  bool abort_after_flush_ = false;     // close once the socket has written what it holds
  std::size_t accounted_ = 0;          // this connection's share of ctx_->queued_output
  bool output_full_seen_ = false;      // what push_ was last told
  bool push_enabled_seen_ = true;
  std::uint32_t push_limit_seen_ = UINT32_MAX;
};

}  // namespace rodeo
