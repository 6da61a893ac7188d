// The Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): a HELP and a TYPE line per
// metric family, then its samples; counters end in `_total`; a histogram has cumulative
// `_bucket{le="..."}` samples ending with `le="+Inf"`, then `_sum` and `_count`.
#include <fmt/format.h>

#include "rodeo/metrics.hpp"

namespace rodeo {

namespace {

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void counter(std::string& out, std::string_view name, std::string_view help,
             const std::atomic<std::uint64_t>& value) {
  family(out, name, "counter", help);
  fmt::format_to(std::back_inserter(out), "{} {}\n", name, value.load(std::memory_order_relaxed));
}

void push_funnel(std::string& out, const push_metrics& p) {
  counter(out, "rodeo_push_requested_total", "Pushes handlers asked for (req.push calls).",
          p.requested);
  family(out, "rodeo_push_skipped_total", "counter",
         "Pushes that did nothing on the wire, by reason (rodeo::push_skip).");
  for (std::size_t i = 1; i < push_metrics::reasons; ++i) {
    const auto why = static_cast<push_skip>(i);
    fmt::format_to(std::back_inserter(out), "rodeo_push_skipped_total{{reason=\"{}\"}} {}\n",
                   to_string(why), p.skips(why));
  }
  counter(out, "rodeo_push_hinted_total",
          "Pushes sent as a 103 Early Hints preload link instead of a promise.", p.hinted);
  counter(out, "rodeo_push_promised_total", "PUSH_PROMISE frames sent.", p.promised);
  counter(out, "rodeo_push_completed_total", "Pushed streams whose response was complete.",
          p.completed);
  counter(out, "rodeo_push_cancelled_total",
          "Pushed streams the client reset (RST_STREAM) before their response was complete.",
          p.cancelled);
  counter(out, "rodeo_push_failed_total",
          "Pushed streams whose response was an error (status >= 400), reset by the server.",
          p.failed);
  counter(out, "rodeo_push_body_bytes_total", "Response body bytes of pushed streams.",
          p.body_bytes);
  counter(out, "rodeo_push_wasted_bytes_total",
          "Response body bytes of pushed streams the client cancelled.", p.wasted_bytes);
}

}  // namespace

std::string metrics_registry::prometheus_text() const {
  std::string out;
  out.reserve(8192);
  push_funnel(out, pushes_);
  counter(out, "rodeo_quic_retry_sent_total",
          "QUIC Retry packets sent to validate a client's address (RFC 9000 8.1.2).",
          quic_.retries);
  counter(out, "rodeo_quic_invalid_token_total",
          "QUIC Initials with an invalid, expired or misplaced Retry token (closed with "
          "INVALID_TOKEN).",
          quic_.invalid_tokens);
  counter(out, "rodeo_quic_validated_total",
          "QUIC connections made from an Initial with a valid Retry token.", quic_.validated);

  family(out, "rodeo_requests_total", "counter",
         "Client requests ended, by protocol and final status class (none: no final "
         "response, e.g. a client reset).");
  for (auto protocol : protocols)
    for (auto cls : status_classes)
      fmt::format_to(std::back_inserter(out),
                     "rodeo_requests_total{{protocol=\"{}\",code=\"{}\"}} {}\n", protocol, cls,
                     requests(protocol, cls));

  family(out, "rodeo_request_duration_seconds", "histogram",
         "Client request durations, request head complete to stream end, by protocol.");
  for (auto protocol : protocols) {
    const auto h = durations(protocol);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < h.buckets.size(); ++i) {
      cumulative += h.buckets[i];
      const std::string le =
          i < duration_buckets.size() ? fmt::format("{}", duration_buckets[i]) : "+Inf";
      fmt::format_to(std::back_inserter(out),
                     "rodeo_request_duration_seconds_bucket{{protocol=\"{}\",le=\"{}\"}} {}\n",
                     protocol, le, cumulative);
    }
    fmt::format_to(std::back_inserter(out),
                   "rodeo_request_duration_seconds_sum{{protocol=\"{}\"}} {}\n"
                   "rodeo_request_duration_seconds_count{{protocol=\"{}\"}} {}\n",
                   protocol, h.sum_seconds, protocol, h.count);
  }
  return out;
}

}  // namespace rodeo
