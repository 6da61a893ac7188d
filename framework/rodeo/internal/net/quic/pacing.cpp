#include "rodeo/internal/net/quic/pacing.hpp"

#include <cstdint>

namespace rodeo::quic {

bool has_rtt_sample(ngtcp2_conn* conn) {
  ngtcp2_conn_stat stat;
  ngtcp2_conn_get_conn_stat(conn, &stat);
  return stat.first_rtt_sample_ts != UINT64_MAX;
}

void update_pkt_tx_time(ngtcp2_conn* conn, ngtcp2_tstamp now) {
  if (has_rtt_sample(conn)) ngtcp2_conn_update_pkt_tx_time(conn, now);
}

}  // namespace rodeo::quic
