// pushload counters and latency samples: one `stats` per worker thread, merged at the end.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

struct options;

/// What happened inside the measurement window. Only the owning worker thread writes it.
struct stats {
  std::int64_t pages = 0;          ///< pages completed (response + all its pushes), ok or not
  std::int64_t pages_failed = 0;   ///< of which: reset, non-2xx, or lost with the connection
  std::int64_t pages_reset = 0;    ///< the page's own stream was reset
  std::int64_t pages_non2xx = 0;   ///< final status outside 200..299
  std::int64_t pages_lost = 0;     ///< in flight when the connection broke
  std::int64_t pages_retried = 0;  ///< refused by GOAWAY / REFUSED_STREAM, fetched again

  std::int64_t promised = 0;          ///< PUSH_PROMISE frames received
  std::int64_t pushed_completed = 0;  ///< pushed streams that ended with END_STREAM
  std::int64_t pushed_cancelled = 0;  ///< pushed streams the server reset (RST_STREAM)
  std::int64_t pushed_refused = 0;    ///< pushed streams our session refused or reset
  std::int64_t pushed_non2xx = 0;     ///< completed pushes with a status outside 200..299

  std::int64_t bytes_page = 0;    ///< DATA payload on the pages' own streams
  std::int64_t bytes_pushed = 0;  ///< DATA payload on pushed streams

  std::int64_t connects = 0;                        ///< connections that reached HTTP/2
  std::int64_t goaways = 0;                         ///< GOAWAY frames received
  std::int64_t errors = 0;                          ///< connect, TLS, protocol and I/O failures
  std::map<std::string, std::int64_t> error_kinds;  ///< first words of each error -> count

  std::vector<double> page_ms;      ///< request sent -> last byte of the last push (or response)
  std::vector<double> response_ms;  ///< request sent -> the page's own response complete

  /// Adds another worker's figures to these.
  void merge(const stats& other);
  /// Counts one error under `kind`.
  void error(const std::string& kind);
};

/// The p-quantile (0..1, nearest rank) of `sorted`, or 0 when it is empty.
double quantile(const std::vector<double>& sorted, double p);

/// Prints the human-readable report and, as the last line, the machine-readable summary.
/// `elapsed_s` is the window the rates are computed over; `timed_out` says the hard stop hit.
void print_report(const options& opts, stats& merged, double elapsed_s, bool timed_out);
