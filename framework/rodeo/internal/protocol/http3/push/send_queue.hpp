#pragma once
/// \file
/// The bytes of one outgoing QUIC stream that Rodeo writes itself, kept until acknowledged.
/// ngtcp2 does not copy stream data: it keeps pointers to it and sends it again from there
/// when a packet is lost, so the bytes must stay alive until their acknowledgement
/// (acked_stream_data_offset). Offsets are the stream's own, from 0.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace rodeo::http3::push {

class send_queue {
 public:
  /// Appends `chunk` (empty chunks are ignored).
  void push(std::string chunk);
  /// The bytes not yet handed to QUIC, in order, at most `max_bytes` of them.
  std::vector<std::span<const std::uint8_t>> unsent(std::size_t max_bytes = SIZE_MAX) const;
  /// QUIC accepted the next `n` unsent bytes.
  void sent(std::size_t n);
  /// QUIC says the peer acknowledged [offset, offset + length). Ranges may come in any order;
  /// a byte is released once every byte before it is acknowledged too.
  void acked(std::uint64_t offset, std::uint64_t length);

  std::uint64_t end_offset() const { return end_; }
  std::uint64_t sent_offset() const { return sent_; }
  /// Every byte below it is acknowledged.
  std::uint64_t acked_offset() const { return acked_; }
  std::uint64_t unsent_bytes() const { return end_ - sent_; }
  /// Bytes held: not yet acknowledged (back-pressure figure).
  std::uint64_t held_bytes() const { return end_ - front_; }

 private:
  void release();

  std::deque<std::string> chunks_;
  std::uint64_t front_ = 0;  // stream offset of chunks_.front()'s first byte
  std::uint64_t sent_ = 0;
  std::uint64_t end_ = 0;
  std::uint64_t acked_ = 0;
  std::map<std::uint64_t, std::uint64_t> acked_ahead_;  // begin -> end, above acked_
};

}  // namespace rodeo::http3::push
