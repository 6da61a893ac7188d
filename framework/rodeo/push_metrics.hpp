#pragma once
/// \file
/// The push funnel of a listener: how many pushes handlers asked for, how many were skipped
/// and why, promised, completed, and cancelled by the client. Updated from request actors and
/// io threads, hence atomics; read any time through listener::push_metrics().

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "rodeo/push.hpp"

namespace rodeo {

struct push_metrics {
  static constexpr std::size_t reasons = static_cast<std::size_t>(push_skip::output_full) + 1;

  std::atomic<std::uint64_t> requested{0};
  std::atomic<std::uint64_t> promised{0};
  std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> cancelled{0};
  /// Pushed streams reset by the server because their response was an error (status >= 400).
  std::atomic<std::uint64_t> failed{0};
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
                      " completed=" + std::to_string(completed.load()) +
                      " cancelled=" + std::to_string(cancelled.load()) +
                      " push_failed=" + std::to_string(failed.load());
    for (std::size_t i = 1; i < reasons; ++i)
      out += " " + std::string{to_string(static_cast<push_skip>(i))} + "=" +
             std::to_string(skipped[i].load());
    return out;
  }
};

}  // namespace rodeo
