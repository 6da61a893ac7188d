#pragma once
/// \file
/// When a QUIC listener validates a client's address with a Retry before the handshake
/// (listener_options::quic_retry; RFC 9000 §8.1.2).

#include <optional>
#include <string_view>

namespace rodeo {

enum class quic_retry {
  /// Never: only the 3x amplification limit (RFC 9000 §8) guards the handshake.
  never,
  /// When more handshakes are in progress than listener_options::quic_retry_handshakes: a
  /// flood of Initials from spoofed addresses then costs the server a Retry each (stateless,
  /// smaller than the Initial) instead of a connection and a TLS handshake.
  under_load,
  /// Every new connection: one more round trip for each client.
  always,
};

/// "never", "under_load" or "always"; nothing for anything else.
inline std::optional<quic_retry> parse_quic_retry(std::string_view s) {
  if (s == "never") return quic_retry::never;
  if (s == "under_load") return quic_retry::under_load;
  if (s == "always") return quic_retry::always;
  return std::nullopt;
}

}  // namespace rodeo
