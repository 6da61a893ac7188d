#pragma once
/// \file
/// Handlers of the live test server: each exercises one framework behaviour that a real
/// client then checks (bodies, streaming, crashes, resets, concurrency, timeouts).

#include "rodeo/rodeo.hpp"
#include "rodeo/router/compile.hpp"

namespace live {

/// Counters the tests read back through GET /stats (JSON), e.g. how many handlers were
/// terminated by a client reset.
void count(const std::string& name);
std::string stats_json();
/// The listener's QUIC Retry counters, for /stats (set once the listener runs).
void set_quic_metrics(const rodeo::quic_metrics* m);
std::string quic_metrics_json();

/// The test server's path rules.
std::vector<rodeo::router::path_rule> routes();

}  // namespace live
