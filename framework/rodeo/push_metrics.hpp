#pragma once
/// \file
/// The push funnel of a listener: how many pushes handlers asked for, how many were skipped
/// and why, hinted, promised, completed, failed, and cancelled by the client, and the body
/// bytes of pushed streams (those the client cancelled: wasted). Updated from request actors
/// and io threads, hence relaxed atomics; read any time through listener::push_metrics() or
/// the registry's Prometheus text (rodeo/metrics.hpp).

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "rodeo/push.hpp"

namespace rodeo {

struct push_metrics {
  static constexpr std::size_t reasons =
      static_cast<std::size_t>(push_skip::push_ids_exhausted) + 1;

  std::atomic<std::uint64_t> requested{0};
  std::atomic<std::uint64_t> promised{0};
  /// Pushes sent as early hints instead (not counted in `skipped`): requested = promised +
  /// hinted + every skip reason.
  std::atomic<std::uint64_t> hinted{0};
  std::atomic<std::uint64_t> completed{0};
  /// Promised streams the client reset (RST_STREAM) before their response was complete.
  std::atomic<std::uint64_t> cancelled{0};
  /// Promised streams whose response was an error (status >= 400), reset by the server.
  std::atomic<std::uint64_t> failed{0};
  /// Response body bytes of pushed streams, handed to the protocol engine.
  std::atomic<std::uint64_t> body_bytes{0};
  /// The part of body_bytes that belongs to pushed streams the client cancelled.
  std::atomic<std::uint64_t> wasted_bytes{0};
  std::array<std::atomic<std::uint64_t>, reasons> skipped{};

  void count_skip(push_skip why) {
    skipped[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed);
  }
  std::uint64_t skips(push_skip why) const {
    return skipped[static_cast<std::size_t>(why)].load(std::memory_order_relaxed);
  }

  /// One line of `name=value` pairs, for logs and stats pages.
  std::string summary() const {
    std::string out = "requested=" + std::to_string(requested.load()) +
                      " promised=" + std::to_string(promised.load()) +
                      " hinted=" + std::to_string(hinted.load()) +
                      " completed=" + std::to_string(completed.load()) +
                      " cancelled=" + std::to_string(cancelled.load()) +
                      " failed=" + std::to_string(failed.load());
    for (std::size_t i = 1; i < reasons; ++i)
      out += " " + std::string{to_string(static_cast<push_skip>(i))} + "=" +
             std::to_string(skipped[i].load());
    return out;
  }
};

}  // namespace rodeo
