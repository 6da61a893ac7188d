#pragma once
/// \file
/// A connection's streams and their request actors: a stream opens with a request head (or
/// a promise) and gets its actor, receives its body, takes its actor's commands to the
/// protocol engine, and ends once. Single-threaded, on the connection's io thread.
///
/// Every command a request actor sends reaches the engine through `apply`, and every stream
/// ends through `finish`: what watches a stream's output and its end hooks in there.

#include <caf/actor.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "rodeo/command.hpp"
#include "rodeo/internal/actor/stream_link.hpp"
#include "rodeo/internal/net/server_context.hpp"
#include "rodeo/internal/protocol/protocol.hpp"
#include "rodeo/internal/stream/push_state.hpp"
#include "rodeo/internal/stream/stream_chain.hpp"

namespace rodeo {

/// How a stream ended.
struct stream_finish {
  enum class kind {
    done,     ///< its response was completely handed to the transport
    reset,    ///< reset by the peer or by the engine before its response was complete
    aborted,  ///< ended by this side (a timeout, the connection closing)
  };
  kind how = kind::done;
  std::uint32_t error_code = 0;  ///< the HTTP/2 error code of a reset
  /// What the stream handlers are told of an aborted stream.
  stream_end_reason aborted_as = stream_end_reason::connection_closed;
};

class stream_table {
 public:
  using clock = std::chrono::steady_clock;

  /// A streaming handler is told to go on once its stream's queued output is below this
  /// (and the connection and listener are within their output limits).
  static constexpr std::size_t drain_low_water = 64 * 1024;

  /// `over_output(to_come)` says whether the connection or the listener would be above its
  /// output limits with `to_come` more bytes queued.
  stream_table(std::shared_ptr<server_context> ctx, std::shared_ptr<io_worker> worker,
               std::shared_ptr<push_state> push, std::string peer,
               std::function<bool(std::size_t)> over_output);

  /// Where the streams' request actors send their commands (the connection).
  void bind(std::weak_ptr<command_sink> sink) { sink_ = std::move(sink); }
  /// The engine the streams' commands go to; changes once on an h2c upgrade. `label` is the
  /// protocol as stream handlers see it: "http/1.1", "h2" (TLS) or "h2c".
  /// `secure`: a TLS connection, whose requests must name a host the certificate covers.
  void use_engine(protocol& engine, std::string label, bool secure) {
    engine_ = &engine;
    label_ = std::move(label);
    secure_ = secure;
  }

  /// The connection's push state, which it makes with its first stream (an idle connection
  /// holds none); set before the first open().
  void set_push(std::shared_ptr<push_state> push) { push_ = std::move(push); }

  /// A request (or a promised one) arrived: spawns its request actor, started in a batch
  /// (`start_spawned`).
  /// `meta`: a pushed request's copy of its parent's per-request store (share_meta), or null.
  void open(stream_id id, request_head head, bool pushed,
            std::shared_ptr<const meta> meta = nullptr);
  /// Starts the actors spawned since the last batch, behind the io thread's queued handlers.
  void start_spawned();
  void on_body(stream_id id, std::string_view data, bool fin);

  /// Passes one command of stream `id`'s request actor through the stream's handlers
  /// (stream_chain) to the engine. False when the stream is gone (reset by the peer
  /// meanwhile): nothing to say.
  bool apply(stream_id id, command& c);
  /// The connection is about to reset stream `id` for a timeout: its handlers see that.
  void expect_timeout(stream_id id);
  /// Ends stream `id` (once; later calls do nothing and return false): counts, logs, stops
  /// its actor.
  bool finish(stream_id id, stream_finish end);
  /// Ends every stream: the connection closes.
  void finish_all();
  /// The listener stops: every stream's request actor is told (loop handlers' on_shutdown).
  void notify_shutdown();

  /// Tells the producers waiting for their stream to drain to go on, where it did.
  void notify_drains();

  /// Streams whose request body received no byte for `timeout`.
  std::vector<stream_id> stalled_bodies(clock::time_point now, clock::duration timeout);
  /// A multiplexed stream's body stalled: 408 when its response has not started (RFC 9110
  /// §15.5.9), else the stream is cancelled.
  void time_out_body(stream_id id);
  /// Streams whose output only the peer's flow control has held back for `timeout`.
  std::vector<stream_id> stalled_sends(clock::time_point now, clock::duration timeout);

  /// Streams wait for room to send (their producers' drains are held by output limits).
  bool waiting_for_room() const { return !drain_watchers_.empty(); }

  /// A request head (not a promise) arrived on this connection.
  bool had_request() const { return had_request_; }
  bool empty() const { return streams_.empty(); }

 private:
  struct entry {
    caf::actor actor;
    // Shared: a command inside the chain keeps it alive while the engine ends the stream.
    std::shared_ptr<stream_chain> chain;
    // Shared with the request actor: its push outcomes, reported at the end.
    std::shared_ptr<stream_link> link;
    bool replied = false;
    bool pushed = false;
    bool push_failed = false;  // a pushed stream whose response was an error (reset by us)
    // body_timeout: the request body is still arriving; when its last byte came.
    bool body_open = false;
    clock::time_point body_seen;
    // send_timeout (multiplexed): output queued in the engine, and when it last went down
    // or was not held back by flow control.
    std::size_t queued_seen = 0;
    clock::time_point send_progress;
    // Told to go on (drain) and its next body has not arrived yet (drain_grants_).
    bool drain_granted = false;
  };

  void push(stream_id parent, entry& s, cmd::push& p);
  bool misdirected(const request_head& head) const;
  void to_engine(stream_id id, entry& s, command& c);
  bool room_for_drain() const;
  void grant_drain(entry& s);
  void settle_drain(entry& s);

  std::shared_ptr<server_context> ctx_;
  io_worker& worker_;
  // The links of this connection's streams share the worker, so that a request actor
  // outliving the listener posts into a stopped io_context, never a destroyed one. Weak
  // here: the worker's queue may hold the connection.
  std::weak_ptr<io_worker> worker_ref_;
  std::shared_ptr<push_state> push_;
  std::string peer_;
  std::function<bool(std::size_t)> over_output_;
  std::weak_ptr<command_sink> sink_;
  protocol* engine_ = nullptr;
  std::string label_ = "-";
  bool secure_ = false;
  std::unordered_map<stream_id, entry> streams_;
  std::unordered_set<stream_id> drain_watchers_;
  // Streams told to go on whose next piece has not arrived: each counts as drain_low_water
  // of output to come, so that one round of drains cannot let every stream of a connection
  // queue a piece at once (100 streams x 64 KiB, past any output limit).
  std::size_t drain_grants_ = 0;
  bool had_request_ = false;
};

}  // namespace rodeo
