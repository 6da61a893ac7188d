#include "rodeo/internal/protocol/http3/push/send_queue.hpp"

#include <algorithm>
#include <stdexcept>

namespace rodeo::http3::push {

void send_queue::push(std::string chunk) {
  if (chunk.empty()) return;
  end_ += chunk.size();
  chunks_.push_back(std::move(chunk));
}

std::vector<std::span<const std::uint8_t>> send_queue::unsent(std::size_t max_bytes) const {
  std::vector<std::span<const std::uint8_t>> out;
  std::uint64_t at = front_;
  for (const auto& c : chunks_) {
    std::uint64_t c_end = at + c.size();
    if (c_end > sent_ && max_bytes > 0) {
      std::size_t skip = sent_ > at ? static_cast<std::size_t>(sent_ - at) : 0;
      std::size_t n = std::min(c.size() - skip, max_bytes);
      out.emplace_back(reinterpret_cast<const std::uint8_t*>(c.data()) + skip, n);
      max_bytes -= n;
    }
    at = c_end;
  }
  return out;
}

void send_queue::sent(std::size_t n) {
  if (n > end_ - sent_) throw std::logic_error("send_queue: more bytes sent than queued");
  sent_ += n;
}

void send_queue::acked(std::uint64_t offset, std::uint64_t length) {
  std::uint64_t end = offset + length;
  if (end > sent_) throw std::logic_error("send_queue: acknowledgement of unsent bytes");
  if (end <= acked_) return;
  if (offset > acked_) {
    auto& e = acked_ahead_[offset];
    e = std::max(e, end);
    return;
  }
  acked_ = end;
  // Ranges that arrived ahead of a gap now joined.
  while (!acked_ahead_.empty() && acked_ahead_.begin()->first <= acked_) {
    acked_ = std::max(acked_, acked_ahead_.begin()->second);
    acked_ahead_.erase(acked_ahead_.begin());
  }
  release();
}

void send_queue::release() {
  while (!chunks_.empty() && front_ + chunks_.front().size() <= acked_) {
    front_ += chunks_.front().size();
    chunks_.pop_front();
  }
}

}  // namespace rodeo::http3::push
