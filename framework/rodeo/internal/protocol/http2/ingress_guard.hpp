#pragma once
/// \file
/// The ingress checks of the HTTP/2 engine that nghttp2 leaves to the application: stream
/// identifiers reused below the highest one (RFC 9113 §5.1.1) and the budgets of streams the
/// engine refuses or resets for their header blocks (RFC 9113 §5.1.2, §10.5). Private to the
/// engine; touched only on the connection's thread.

#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include "rodeo/internal/protocol/protocol.hpp"

namespace rodeo::http2::detail {

/// A token bucket: `burst` tokens, `rate` regained per second (0: none come back).
class token_bucket {
 public:
  using clock = std::chrono::steady_clock;
  token_bucket(std::uint64_t burst, std::uint64_t rate);
  /// Takes a token; false when there is none left.
  bool take(clock::time_point now = clock::now());

 private:
  std::uint64_t burst_;
  std::uint64_t rate_;
  double tokens_;
  clock::time_point last_;
};

/// The client's stream identifiers: which ones below the highest it never opened.
class stream_ids {
 public:
  /// Identifier ranges skipped that are remembered; older ones are forgotten (a HEADERS frame
  /// on them is then left to nghttp2, which ignores it). Bounds memory against a client that
  /// skips identifiers on purpose.
  static constexpr std::size_t max_gaps = 64;

  /// A HEADERS frame on client stream `id` (odd) starts. True if `id` is below the highest
  /// identifier the client used and was never opened: RFC 9113 §5.1.1 makes it a connection
  /// error of type PROTOCOL_ERROR (the first use of an identifier implicitly closed the idle
  /// streams below it). Otherwise records `id` as used.
  bool never_opened(stream_id id);

  /// Stream 1 was opened by an h2c upgrade (RFC 7540 §3.2).
  void upgraded() { highest_ = 1; }

 private:
  stream_id highest_ = 0;
  /// [first, last] odd ids never opened. A vector: an empty std::deque allocates (its map
  /// and a 512-byte node), which every idle connection would hold.
  std::vector<std::pair<stream_id, stream_id>> gaps_;
};

}  // namespace rodeo::http2::detail
