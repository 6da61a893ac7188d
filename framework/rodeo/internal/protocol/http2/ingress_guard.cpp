#include "rodeo/internal/protocol/http2/ingress_guard.hpp"

#include <algorithm>

namespace rodeo::http2::detail {

token_bucket::token_bucket(std::uint64_t burst, std::uint64_t rate)
    : burst_(burst), rate_(rate), tokens_(static_cast<double>(burst)), last_(clock::now()) {}

bool token_bucket::take(clock::time_point now) {
  if (rate_ > 0 && now > last_) {
    std::chrono::duration<double> elapsed = now - last_;
    tokens_ = std::min(static_cast<double>(burst_),
                       tokens_ + elapsed.count() * static_cast<double>(rate_));
  }
  last_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

bool stream_ids::never_opened(stream_id id) {
  if (id > highest_) {
    // Client streams are odd (RFC 9113 §5.1.1): the first free one after highest_ is
    // highest_ + 2, or 1 on a fresh connection.
    stream_id next = highest_ == 0 ? 1 : highest_ + 2;
    if (id > next) {
      gaps_.emplace_back(next, id - 2);
      if (gaps_.size() > max_gaps) gaps_.erase(gaps_.begin());  // 64 pairs: a short move
    }
    highest_ = id;
    return false;
  }
  return std::any_of(gaps_.begin(), gaps_.end(),
                     [id](const auto& g) { return id >= g.first && id <= g.second; });
}

}  // namespace rodeo::http2::detail
