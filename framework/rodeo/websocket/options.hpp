#pragma once
/// \file
/// How a WebSocket runs, chosen by the handler's `init` when it upgrades (Cowboy's
/// cowboy_websocket options).

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace rodeo::ws {

struct options {
  /// The largest frame payload accepted; above: close 1009 (RFC 6455 §7.4.1).
  std::size_t max_frame_size = 1024 * 1024;
  /// The largest message accepted, its fragments together and, with permessage-deflate,
  /// once inflated (a zip bomb stops here); above: close 1009.
  std::size_t max_message_size = 1024 * 1024;
  /// No frame either way for this long: close 1000 and end, as Cowboy's idle_timeout.
  std::chrono::milliseconds idle_timeout{60'000};
  /// After the handler's close (or a protocol error), how long the client has to answer
  /// with its own close before the connection is dropped.
  std::chrono::milliseconds close_timeout{5'000};
  /// Accept `permessage-deflate` (RFC 7692) when the client offers it.
  bool compress = false;
  /// Subprotocols this handler speaks, preferred first: the first one the client lists in
  /// `sec-websocket-protocol` is selected (RFC 6455 §4.2.2). Empty: none is selected, and a
  /// client that asked for one decides whether to go on.
  std::vector<std::string> protocols;
};

}  // namespace rodeo::ws
