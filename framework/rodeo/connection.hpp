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

  // protocol_events
  void on_request(stream_id id, request_head head) override;
  void on_body(stream_id id, std::string_view data, bool fin) override;
  void on_stream_reset(stream_id id, std::uint32_t error_code) override;
  void on_stream_done(stream_id id) override;
  void on_upgrade_h2c(request_head head, std::string settings, std::string rest) override;

  // command_sink
  void on_command(stream_id id, command c) override;

 private:
  /// A streaming handler is told to go on once its stream's queued output is below this.
  static constexpr std::size_t drain_low_water = 64 * 1024;

  struct stream_entry {
    caf::actor actor;
    // Shared: a command inside the chain keeps it alive while the engine ends the stream.
    std::shared_ptr<stream_chain> chain;
    bool replied = false;
    bool pushed = false;
  };

  void choose_protocol(std::string_view alpn);
  void sniff();
  void read();
  void on_read(const asio::error_code& ec, std::string_view bytes);
  void feed(std::string_view bytes);
  void pump();
  void on_written(const asio::error_code& ec);
  void notify_drains();
  void arm_idle_timer();
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
  std::string writing_;   // bytes of the write in flight
  bool reading_ = false, writing_busy_ = false, closed_ = false;
  bool paused_ = false;
  bool pump_posted_ = false;   // a pump is queued behind the commands being applied        // reading stopped for back-pressure, the engine holds input
  bool input_failed_ = false;  // the engine refused input: write what it owes, then close

  // Set by on_upgrade_h2c inside the HTTP/1.1 engine's feed; acted on once feed returns.
  struct upgrade { request_head head; std::string settings, rest; };
  std::unique_ptr<upgrade> upgrade_;

  asio::steady_timer idle_timer_;
  std::chrono::steady_clock::time_point last_activity_;
  bool push_enabled_seen_ = true;
  std::uint32_t push_limit_seen_ = UINT32_MAX;
};

}  // namespace rodeo
