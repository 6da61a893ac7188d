#pragma once
/// \file
/// `protocol_limits`: what the protocol engines allow a peer, set through `listener_options`.
/// Apart from rodeo/internal/protocol/protocol.hpp (the engines' contract, internal) so that the listener's
/// public header does not carry the engine interface.

#include <cstddef>
#include <cstdint>

namespace rodeo {

/// Limits an engine enforces on its peer. Defaults follow Cowboy and nghttp2.
struct protocol_limits {
  std::size_t max_header_block = 16 * 1024;    ///< request line + fields; above: 431.
  std::uint64_t max_body = 8 * 1024 * 1024;    ///< declared or received; above: 413.
  std::uint32_t max_concurrent_streams = 100;  ///< HTTP/2 SETTINGS; HTTP/1.1 pipeline depth.
  std::uint32_t initial_window_size = 65535;   ///< HTTP/2 SETTINGS_INITIAL_WINDOW_SIZE.
  bool allow_h2c_upgrade = true;               ///< honour `Upgrade: h2c` (RFC 7540 §3.2).
};

}  // namespace rodeo
