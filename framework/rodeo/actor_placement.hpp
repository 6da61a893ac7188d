#pragma once
/// \file
/// Where request actors run (listener_options::actor_placement).

#include <optional>
#include <string_view>

namespace rodeo {

enum class actor_placement {
  /// On CAF's worker threads: each request is handed from its connection's io thread to a
  /// worker, and its commands are posted back. A handler that blocks or computes long delays
  /// only its own request.
  workers,
  /// On the io thread that owns the request's connection, in a CAF execution unit that the
  /// thread runs after each round of reads: no thread hand-off and no wake-up per request, and
  /// commands reach the connection by a direct call. Still one actor per request (own
  /// mailbox and state, crash -> 500). An actor whose turn takes longer than
  /// listener_options::actor_time_slice moves to CAF's workers for the rest of its life, but
  /// that first long turn holds up the io thread's other connections: handlers that block
  /// (file or database calls, sleeps) belong on a listener with `workers`.
  io_thread,
};

/// "workers" or "io_thread"; nothing for anything else.
inline std::optional<actor_placement> parse_actor_placement(std::string_view s) {
  if (s == "workers") return actor_placement::workers;
  if (s == "io_thread") return actor_placement::io_thread;
  return std::nullopt;
}

}  // namespace rodeo
