#pragma once
/// \file
/// A listener's QUIC address-validation counters (metrics_registry::quic(); docs/http3.md):
/// lock-free, updated on the QUIC listener's io thread, read by a scrape at any time.

#include <atomic>
#include <cstdint>

namespace rodeo {

struct quic_metrics {
  /// Retry packets sent (RFC 9000 §8.1.2): Initials answered with a token to echo instead
  /// of a connection (listener_options::quic_retry).
  std::atomic<std::uint64_t> retries{0};
  /// Initials whose Retry token was invalid: forged, expired, from another address or for
  /// another connection ID. Answered with CONNECTION_CLOSE INVALID_TOKEN (§8.1.3), no
  /// connection made.
  std::atomic<std::uint64_t> invalid_tokens{0};
  /// Connections made from an Initial with a valid Retry token.
  std::atomic<std::uint64_t> validated{0};
};

}  // namespace rodeo
