#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "options.hpp"

void stats::merge(const stats& o) {
  pages += o.pages;
  pages_failed += o.pages_failed;
  pages_reset += o.pages_reset;
  pages_non2xx += o.pages_non2xx;
  pages_lost += o.pages_lost;
  pages_retried += o.pages_retried;
  promised += o.promised;
  pushed_completed += o.pushed_completed;
  pushed_cancelled += o.pushed_cancelled;
  pushed_refused += o.pushed_refused;
  pushed_non2xx += o.pushed_non2xx;
  bytes_page += o.bytes_page;
  bytes_pushed += o.bytes_pushed;
  connects += o.connects;
  goaways += o.goaways;
  errors += o.errors;
  for (const auto& [k, n] : o.error_kinds) error_kinds[k] += n;
  page_ms.insert(page_ms.end(), o.page_ms.begin(), o.page_ms.end());
  response_ms.insert(response_ms.end(), o.response_ms.begin(), o.response_ms.end());
}

void stats::error(const std::string& kind) {
  ++errors;
  ++error_kinds[kind];
}

double quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

namespace {

double per_s(std::int64_t n, double s) { return s > 0 ? static_cast<double>(n) / s : 0; }

std::string human_bytes(double b) {
  const char* units[] = {"B", "KB", "MB", "GB"};
  int u = 0;
  while (b >= 1000 && u < 3) {
    b /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %s", b, units[u]);
  return buf;
}

}  // namespace

void print_report(const options& o, stats& s, double elapsed, bool timed_out) {
  std::sort(s.page_ms.begin(), s.page_ms.end());
  std::sort(s.response_ms.begin(), s.response_ms.end());
  const std::int64_t bytes = s.bytes_page + s.bytes_pushed;
  const double pages_s = per_s(s.pages, elapsed);
  const double pushed_s = per_s(s.pushed_completed, elapsed);
  const double bytes_s = per_s(bytes, elapsed);
  const auto& lat = s.page_ms;
  const auto& rsp = s.response_ms;

  std::printf(
      "pushload %s://%s%s over %s  push %s  -c %d -m %d -t %d  %s %.2f s%s\n", o.url.scheme.c_str(),
      o.url.authority.c_str(), o.url.path.c_str(), o.h3 ? "HTTP/3" : "HTTP/2",
      o.push ? "on" : (o.h3 ? "off (no MAX_PUSH_ID)" : "off (ENABLE_PUSH=0)"), o.connections,
      o.pages_per_connection, o.threads, o.total_pages ? "finished in" : "window", elapsed,
      timed_out ? "  (TIMED OUT: hard stop reached)" : "");
  std::printf(
      "pages:     %lld done, %.1f/s; %lld failed (%lld reset, %lld non-2xx, %lld lost "
      "with a connection), %lld refused and fetched again\n",
      (long long)s.pages, pages_s, (long long)s.pages_failed, (long long)s.pages_reset,
      (long long)s.pages_non2xx, (long long)s.pages_lost, (long long)s.pages_retried);
  std::printf(
      "pushes:    %lld promised, %lld completed (%.1f/s, %.2f per page), %lld cancelled "
      "by the server, %lld refused by us, %lld non-2xx\n",
      (long long)s.promised, (long long)s.pushed_completed, pushed_s,
      s.pages ? static_cast<double>(s.pushed_completed) / static_cast<double>(s.pages) : 0.0,
      (long long)s.pushed_cancelled, (long long)s.pushed_refused, (long long)s.pushed_non2xx);
  std::printf("DATA:      %lld bytes (%s/s): %lld on the pages, %lld pushed; %.0f bytes per page\n",
              (long long)bytes, human_bytes(bytes_s).c_str(), (long long)s.bytes_page,
              (long long)s.bytes_pushed,
              s.pages ? static_cast<double>(bytes) / static_cast<double>(s.pages) : 0.0);
  std::printf("latency to the last pushed byte: p50 %.3f ms  p90 %.3f  p99 %.3f  max %.3f\n",
              quantile(lat, 0.5), quantile(lat, 0.9), quantile(lat, 0.99),
              lat.empty() ? 0.0 : lat.back());
  std::printf("latency to the page's own response: p50 %.3f ms  p90 %.3f  p99 %.3f  max %.3f\n",
              quantile(rsp, 0.5), quantile(rsp, 0.9), quantile(rsp, 0.99),
              rsp.empty() ? 0.0 : rsp.back());
  std::printf("connections: %lld reached %s, %lld GOAWAY received, %lld errors",
              (long long)s.connects, o.h3 ? "HTTP/3" : "HTTP/2", (long long)s.goaways,
              (long long)s.errors);
  for (const auto& [kind, n] : s.error_kinds) std::printf("; %s x%lld", kind.c_str(), (long long)n);
  std::printf("\n");
  // Keys up to failed= are the stable interface; the rest follow.
  std::printf(
      "pushload: pages=%lld pages_per_s=%.1f pushed_per_s=%.1f bytes_per_s=%.0f "
      "p50_ms=%.3f p99_ms=%.3f failed=%lld promised=%lld pushed=%lld cancelled=%lld "
      "refused=%lld errors=%lld p90_ms=%.3f max_ms=%.3f resp_p50_ms=%.3f bytes=%lld "
      "elapsed_s=%.3f timed_out=%d\n",
      (long long)s.pages, pages_s, pushed_s, bytes_s, quantile(lat, 0.5), quantile(lat, 0.99),
      (long long)s.pages_failed, (long long)s.promised, (long long)s.pushed_completed,
      (long long)s.pushed_cancelled, (long long)s.pushed_refused, (long long)s.errors,
      quantile(lat, 0.9), lat.empty() ? 0.0 : lat.back(), quantile(rsp, 0.5), (long long)bytes,
      elapsed, timed_out ? 1 : 0);
}
