#pragma once
/// \file
/// The one clock of the QUIC side: ngtcp2 timestamps are nanoseconds of steady_clock. The
/// connections (ngtcp2's timers) and the endpoint (Retry tokens, checked against their
/// issue time) must read the same one.

#include <ngtcp2/ngtcp2.h>

#include <chrono>

namespace rodeo::quic {

inline ngtcp2_tstamp now_ts() {
  return static_cast<ngtcp2_tstamp>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace rodeo::quic
