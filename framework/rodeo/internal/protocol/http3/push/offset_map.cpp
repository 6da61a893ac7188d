#include "rodeo/internal/protocol/http3/push/offset_map.hpp"

#include <algorithm>
#include <stdexcept>

namespace rodeo::http3::push {

bool offset_map::inject(std::string frame) {
  if (!can_inject()) return false;
  if (frame.empty()) return true;
  segment s{.h3_at = h3_sent_, .quic_begin = quic_queued_, .bytes = std::move(frame)};
  s.length = s.bytes.size();
  quic_queued_ += s.length;
  injected_total_ += s.length;
  segments_.push_back(std::move(s));
  return true;
}

std::span<const std::uint8_t> offset_map::injected_unsent() const {
  if (first_unsent_ == segments_.size()) return {};
  const segment& s = segments_[first_unsent_];
  auto p = reinterpret_cast<const std::uint8_t*>(s.bytes.data()) + s.sent;
  return {p, static_cast<std::size_t>(s.length - s.sent)};
}

void offset_map::injected_sent(std::size_t n) {
  while (n > 0 && first_unsent_ < segments_.size()) {
    segment& s = segments_[first_unsent_];
    auto k = std::min<std::uint64_t>(n, s.length - s.sent);
    s.sent += k;
    quic_sent_ += k;
    n -= static_cast<std::size_t>(k);
    if (s.sent == s.length) ++first_unsent_;
  }
  if (n != 0) throw std::logic_error("offset_map: more injected bytes sent than queued");
}

void offset_map::h3_sent(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return;
  if (quic_queued_ != quic_sent_) {
    throw std::logic_error("offset_map: nghttp3 bytes sent before the injected ones");
  }
  if (fin_) throw std::logic_error("offset_map: bytes after FIN");
  boundary_.feed(bytes);
  h3_sent_ += bytes.size();
  quic_sent_ += bytes.size();
  quic_queued_ = quic_sent_;
}

std::uint64_t offset_map::acked(std::uint64_t offset, std::uint64_t length) {
  std::uint64_t end = offset + length;
  if (end > quic_sent_) throw std::logic_error("offset_map: acknowledgement of unsent bytes");
  std::uint64_t injected = 0;
  for (auto& s : segments_) {
    std::uint64_t b = std::max(offset, s.quic_begin);
    std::uint64_t e = std::min(end, s.quic_begin + s.length);
    if (b >= e) continue;
    injected += e - b;
    s.acked += e - b;
    if (s.acked == s.length) std::string().swap(s.bytes);  // ngtcp2 needs it no more
  }
  return length - injected;
}

std::uint64_t offset_map::to_quic(std::uint64_t h3_offset) const {
  std::uint64_t shift = 0;
  for (const auto& s : segments_) {
    if (s.h3_at > h3_offset) break;
    shift += s.length;
  }
  return h3_offset + shift;
}

std::uint64_t offset_map::injected_held() const {
  std::uint64_t n = 0;
  for (const auto& s : segments_) n += s.length - s.acked;
  return n;
}

}  // namespace rodeo::http3::push
