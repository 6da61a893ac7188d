#pragma once
/// \file
/// Offset bookkeeping for a request stream on which Rodeo writes PUSH_PROMISE frames beside
/// nghttp3's bytes (RFC 9114 §4.6: a promise goes on the request stream that the push
/// answers).
///
/// nghttp3 believes it owns the stream: it counts its own bytes from 0, and wants to hear how
/// many of them QUIC accepted (nghttp3_conn_add_write_offset) and how many the peer
/// acknowledged (nghttp3_conn_add_ack_offset) so that it can free them. On the wire the stream
/// is nghttp3's bytes with Rodeo's frames put in between, so QUIC offsets run ahead of
/// nghttp3's by the injected bytes before them. The map keeps, per injected frame, where it
/// sits in both numberings, and translates:
///   - writing: the caller writes `injected_unsent()` first whenever it is not empty, and
///     otherwise nghttp3's bytes, telling the map `h3_sent(bytes)` (what QUIC accepted; the
///     count goes to nghttp3_conn_add_write_offset unchanged);
///   - acknowledgements: `acked(offset, length)` from ngtcp2's acked_stream_data_offset
///     returns how many of those bytes are nghttp3's (for nghttp3_conn_add_ack_offset), and
///     frees injected frames once all their bytes are acknowledged (ngtcp2 resends lost data
///     from the caller's memory until then).
///
/// Where a frame may go in. The simple rule: promises before nghttp3's first byte (nghttp3
/// writes nothing on a request stream before the response is submitted), then the shift is a
/// constant per stream. The map also allows any later point where nghttp3's bytes so far end
/// on a frame boundary: it follows nghttp3's frames as they are sent (`can_inject`), so a
/// promise never lands inside a HEADERS or DATA frame, even when QUIC accepted only part of
/// one. Nothing after nghttp3's FIN.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "rodeo/internal/protocol/http3/push/frame.hpp"

namespace rodeo::http3::push {

class offset_map {
 public:
  /// `leading_bytes`: nghttp3's bytes before its first frame, which are no place for a frame
  /// either: 1 on a unidirectional stream (its type, e.g. the client's control stream, where
  /// the client's MAX_PUSH_ID goes after nghttp3's SETTINGS), 0 on a request stream.
  explicit offset_map(std::uint64_t leading_bytes = 0) : boundary_(leading_bytes) {}

  /// True when a frame may be put in now (see above).
  bool can_inject() const { return !fin_ && boundary_.at_boundary(); }
  /// Queues a whole frame to go on the wire next, before nghttp3's next byte. False (and
  /// nothing queued) when `can_inject()` is false.
  bool inject(std::string frame);

  /// The next injected bytes not yet handed to QUIC (empty: write nghttp3's bytes).
  std::span<const std::uint8_t> injected_unsent() const;
  /// QUIC accepted the next `n` bytes of `injected_unsent()`.
  void injected_sent(std::size_t n);

  /// QUIC accepted these bytes of nghttp3's (the next ones after those before). Throws
  /// std::logic_error while injected bytes are unsent: they must go first.
  void h3_sent(std::span<const std::uint8_t> bytes);
  /// nghttp3 ended the stream (FIN written): no more injections.
  void h3_fin() { fin_ = true; }

  /// ngtcp2 acknowledged QUIC stream bytes [offset, offset + length) (ranges do not repeat).
  /// Returns how many of them are nghttp3's.
  std::uint64_t acked(std::uint64_t offset, std::uint64_t length);

  /// The QUIC offset of nghttp3's byte at `h3_offset`.
  std::uint64_t to_quic(std::uint64_t h3_offset) const;
  /// The next QUIC write offset, and nghttp3 bytes sent so far.
  std::uint64_t quic_offset() const { return quic_sent_; }
  std::uint64_t h3_offset() const { return h3_sent_; }
  /// Injected bytes so far, and those still held (unacknowledged).
  std::uint64_t injected_bytes() const { return injected_total_; }
  std::uint64_t injected_held() const;

 private:
  struct segment {
    std::uint64_t h3_at;       // nghttp3's offset it precedes
    std::uint64_t quic_begin;  // its first byte on the wire
    std::string bytes;         // emptied once all acknowledged
    std::uint64_t length;
    std::uint64_t sent = 0;
    std::uint64_t acked = 0;
  };

  std::deque<segment> segments_;  // every injected frame, in stream order
  std::size_t first_unsent_ = 0;  // index of the first segment not wholly sent
  frame_boundary boundary_;
  std::uint64_t quic_sent_ = 0;
  std::uint64_t quic_queued_ = 0;  // quic_sent_ + injected bytes queued but unsent
  std::uint64_t h3_sent_ = 0;
  std::uint64_t injected_total_ = 0;
  bool fin_ = false;
};

}  // namespace rodeo::http3::push
