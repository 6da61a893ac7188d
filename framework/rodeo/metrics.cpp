#include "rodeo/metrics.hpp"

#include <chrono>

namespace rodeo {

namespace {

constexpr std::size_t none = static_cast<std::size_t>(-1);

// The bucket of a duration: the first upper bound it does not exceed (`le` is inclusive).
std::size_t bucket_of(std::int64_t us) {
  const auto& bounds = metrics_registry::duration_buckets;
  for (std::size_t i = 0; i < bounds.size(); ++i)
    if (static_cast<double>(us) <= bounds[i] * 1e6) return i;
  return bounds.size();
}

}  // namespace

std::size_t metrics_registry::protocol_index(std::string_view protocol) {
  for (std::size_t i = 0; i < protocols.size(); ++i)
    if (protocols[i] == protocol) return i;
  return none;
}

void metrics_registry::observe(const stream_end& e) {
  constexpr auto relaxed = std::memory_order_relaxed;
  if (e.pushed) {
    // A pushed stream is the server's own request: it counts in the funnel, not as a request.
    pushes_.body_bytes.fetch_add(e.bytes_out, relaxed);
    if (e.reason == stream_end_reason::reset) pushes_.wasted_bytes.fetch_add(e.bytes_out, relaxed);
    return;
  }
  const auto p = protocol_index(e.protocol);
  if (p == none) return;
  auto& m = by_protocol_[p];
  const std::size_t cls = e.status >= 100 && e.status <= 599
                              ? static_cast<std::size_t>(e.status / 100 - 1)
                              : status_classes.size() - 1;
  m.requests[cls].fetch_add(1, relaxed);
  const auto us = e.duration_us() < 0 ? 0 : e.duration_us();
  m.buckets[bucket_of(us)].fetch_add(1, relaxed);
  m.duration_us.fetch_add(static_cast<std::uint64_t>(us), relaxed);
}

std::uint64_t metrics_registry::requests(std::string_view protocol,
                                         std::string_view status_class) const {
  const auto p = protocol_index(protocol);
  if (p == none) return 0;
  for (std::size_t c = 0; c < status_classes.size(); ++c)
    if (status_classes[c] == status_class)
      return by_protocol_[p].requests[c].load(std::memory_order_relaxed);
  return 0;
}

metrics_registry::histogram metrics_registry::durations(std::string_view protocol) const {
  histogram h;
  const auto p = protocol_index(protocol);
  if (p == none) return h;
  const auto& m = by_protocol_[p];
  for (std::size_t i = 0; i < h.buckets.size(); ++i) {
    h.buckets[i] = m.buckets[i].load(std::memory_order_relaxed);
    h.count += h.buckets[i];
  }
  h.sum_seconds = static_cast<double>(m.duration_us.load(std::memory_order_relaxed)) / 1e6;
  return h;
}

}  // namespace rodeo
