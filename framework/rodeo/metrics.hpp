#pragma once
/// \file
/// A listener's metrics registry: the push funnel (rodeo/push_metrics.hpp), requests by
/// protocol and status class, and a request-duration histogram by protocol. Fed by the
/// built-in stream handler `metrics_stream_h(registry)` (every stream's end) and by `req.push`
/// and the connection (the funnel); rendered by `metrics_handler` (rodeo/metrics_handler.hpp)
/// in the Prometheus text format. docs/push.md lists every metric.
///
/// Concurrency: every counter is a lock-free `std::atomic<std::uint64_t>` updated with relaxed
/// increments from io threads and request actors; a scrape loads each one (no mutex anywhere,
/// no per-thread shards to sum). A scrape taken while requests end may see one counter updated
/// and its neighbour not yet; a histogram's `_count` is the sum of its buckets, so that the
/// `+Inf` bucket and `_count` always agree.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "rodeo/push_metrics.hpp"
#include "rodeo/quic_metrics.hpp"
#include "rodeo/stream_handler.hpp"

namespace rodeo {

class metrics_registry {
 public:
  /// The `protocol` label values, in this order.
  static constexpr std::array<std::string_view, 3> protocols{"http/1.1", "h2", "h2c"};
  /// The `code` label values: the final status's class, or "none" when the stream ended
  /// without a final response (a client reset, a closed connection).
  static constexpr std::array<std::string_view, 6> status_classes{"1xx", "2xx", "3xx",
                                                                  "4xx", "5xx", "none"};
  /// Upper bounds of the duration histogram's buckets in seconds: the Prometheus client
  /// libraries' default buckets (then `+Inf`).
  static constexpr std::array<double, 11> duration_buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                           0.5,   1.0,  2.5,   5.0,  10.0};

  /// A stream ended (the stream handler calls this on an io thread). Client requests count
  /// in the request metrics; pushed streams count their body bytes in the push funnel
  /// (`body_bytes`, and `wasted_bytes` when the client cancelled them).
  void observe(const stream_end& e);

  rodeo::push_metrics& pushes() { return pushes_; }
  const rodeo::push_metrics& pushes() const { return pushes_; }
  /// The QUIC listener's address validation (Retry) counters.
  rodeo::quic_metrics& quic() { return quic_; }
  const rodeo::quic_metrics& quic() const { return quic_; }

  /// Client requests that ended with `protocol` (an entry of `protocols`) and status class
  /// (an entry of `status_classes`); 0 for unknown labels.
  std::uint64_t requests(std::string_view protocol, std::string_view status_class) const;

  /// One protocol's duration histogram, as read at one moment.
  struct histogram {
    std::array<std::uint64_t, duration_buckets.size() + 1>
        buckets{};            ///< not cumulative; last: +Inf
    std::uint64_t count = 0;  ///< sum of buckets
    double sum_seconds = 0;
  };
  histogram durations(std::string_view protocol) const;

  /// Every metric in the Prometheus text exposition format 0.0.4.
  std::string prometheus_text() const;

 private:
  // One cache line per protocol: io threads serving different protocols do not share one.
  struct alignas(64) per_protocol {
    std::array<std::atomic<std::uint64_t>, status_classes.size()> requests{};
    std::array<std::atomic<std::uint64_t>, duration_buckets.size() + 1> buckets{};
    std::atomic<std::uint64_t> duration_us{0};
  };
  static std::size_t protocol_index(std::string_view protocol);

  rodeo::push_metrics pushes_;
  rodeo::quic_metrics quic_;
  std::array<per_protocol, protocols.size()> by_protocol_{};
};

}  // namespace rodeo
