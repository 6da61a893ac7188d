#pragma once
/// \file
/// A connection: one per socket, single-threaded on its io thread. It wires three parts: the
/// transport driver (socket or TLS, reads, writes, the timer), the protocol selector (ALPN,
/// the HTTP/2 preface, `Upgrade: h2c`: which engine speaks) and the stream table (streams
/// and their request actors). It never blocks and never runs user code: each request goes to
/// its own request actor, whose commands come back here through a stream_link and are
/// applied to the engine in order.
///
///   bytes in -> engine.feed -> on_request -> stream_table.open -> ... -> on_command
///   -> stream_table.apply -> engine.reply -> engine.take_output -> bytes out

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "rodeo/internal/actor/stream_link.hpp"
#include "rodeo/internal/net/protocol_selector.hpp"
#include "rodeo/internal/net/server_context.hpp"
#include "rodeo/internal/net/transport.hpp"
#include "rodeo/internal/net/transport_driver.hpp"
#include "rodeo/internal/protocol/protocol.hpp"
#include "rodeo/internal/stream/push_state.hpp"
#include "rodeo/internal/stream/stream_table.hpp"

namespace rodeo {

class connection final : public protocol_events,
                         public command_sink,
                         public transport_driver::user,
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
  bool awaiting_request() const { return !streams_.had_request() && !driver_.closed(); }
  /// Closed to make room at max_connections: it had sent no request. On the io thread.
  void evict();

  // protocol_events
  void on_request(stream_id id, request_head head) override;
  void on_body(stream_id id, std::string_view data, bool fin) override;
  void on_stream_reset(stream_id id, std::uint32_t error_code) override;
  void on_stream_done(stream_id id) override;
  void on_upgrade_h2c(request_head head, std::string settings, std::string rest) override;
  void on_push_capability(push_capability now) override;

  // command_sink
  void on_command(stream_id id, command c) override;

  // transport_driver::user
  void on_handshake(std::string_view alpn) override;
  void on_input(std::string_view bytes) override;
  void on_output_progress() override;
  void on_tick(std::chrono::steady_clock::time_point now) override;
  void on_broken() override;

 private:
  using clock = std::chrono::steady_clock;

  void read();
  void feed(std::string_view bytes);
  void pump();
  bool check_deadlines(clock::time_point now);
  void check_bodies(clock::time_point now);
  void check_stalled_streams(clock::time_point now);
  void time_out_head(const char* what);
  void abort_after_flush();
  std::size_t output_bytes() const;
  bool over_output() const;
  bool over_output(std::size_t bytes) const;
  void account();
  void use_engine(std::unique_ptr<protocol> e);
  /// Opens stream `id` in the stream table; the first one makes the push state.
  void open_stream(stream_id id, request_head head);
  void finish_upgrade();

  std::shared_ptr<server_context> ctx_;
  io_worker& worker_;
  // Made with the first stream (open_stream): 200 bytes an idle connection does without.
  // Until then the fields below keep what it would have been told.
  std::shared_ptr<push_state> push_;
  push_capability push_capability_{};
  bool push_served_ = false;   // TLS: pushes may name the certificate's names
  bool push_closing_ = false;  // shutdown, or GOAWAY either way: closing for good
  transport_driver driver_;
  protocol_selector selector_;
  stream_table streams_;
  std::unique_ptr<protocol> engine_;

  bool paused_ = false;             // reading stopped for back-pressure, the engine holds input
  bool pump_posted_ = false;        // a pump is queued behind the commands being applied
  bool input_failed_ = false;       // the engine refused input: write what it owes, then close
  bool abort_after_flush_ = false;  // close once the socket has written what it holds

  clock::time_point last_activity_;
  clock::time_point started_;                      // request_timeout counts from here
  std::optional<clock::time_point> head_started_;  // HTTP/1.1: a later head is arriving
  std::size_t accounted_ = 0;                      // this connection's share of ctx_->queued_output
  bool output_full_seen_ = false;                  // what push_ was last told
};

}  // namespace rodeo
