#pragma once
/// \file
/// When a QUIC connection's next packet may leave (packet pacing, RFC 9002 §7.7).
///
/// ngtcp2 0.12 derives the pacing rate from the smoothed RTT, which is the initial RTT
/// (333 ms, RFC 9002 §6.2.2) until the first RTT sample. Its first flight (the server's
/// Initial and Handshake, about one 1200-byte datagram) then holds the next packet for
/// 1200 / (cwnd / 333 ms x 1.25), about 22 ms: the HANDSHAKE_DONE and the response to the
/// first request wait that long on every new connection, whatever the real RTT. ngtcp2
/// 0.14 paces with a 1 ms RTT until it has a sample, which spaces a handshake flight by
/// well under a millisecond; pacing only from the first sample on does the same here.

#include <ngtcp2/ngtcp2.h>

namespace rodeo::quic {

/// Whether `conn` has an RTT sample yet (the peer acknowledged one of its packets).
bool has_rtt_sample(ngtcp2_conn* conn);

/// ngtcp2_conn_update_pkt_tx_time once `conn` has an RTT sample; before that, nothing: the
/// bytes sent so far are paced with the first sampled RTT, at the next update.
void update_pkt_tx_time(ngtcp2_conn* conn, ngtcp2_tstamp now);

}  // namespace rodeo::quic
