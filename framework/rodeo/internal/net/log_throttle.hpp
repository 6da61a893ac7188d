#pragma once
/// \file
/// `log_throttle`: at most one log line per interval for an event that can repeat thousands
/// of times a second (accept failures, refused connections), each line saying how many were
/// left out since the previous one. Not thread-safe: one owner thread.

#include <chrono>
#include <cstddef>
#include <optional>

namespace rodeo {

class log_throttle {
 public:
  using clock = std::chrono::steady_clock;

  explicit log_throttle(clock::duration interval = std::chrono::seconds(1)) : interval_(interval) {}

  /// Records one event at `now`. Returns the number of events left out since the last line
  /// when this one is to be logged, nothing when it is to be left out.
  std::optional<std::size_t> note(clock::time_point now) {
    if (logged_once_ && now - last_ < interval_) {
      ++suppressed_;
      return std::nullopt;
    }
    logged_once_ = true;
    last_ = now;
    const std::size_t n = suppressed_;
    suppressed_ = 0;
    return n;
  }

 private:
  clock::duration interval_;
  clock::time_point last_{};
  bool logged_once_ = false;
  std::size_t suppressed_ = 0;
};

}  // namespace rodeo
