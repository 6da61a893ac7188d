#include "rodeo/internal/protocol/http3/stream.hpp"

namespace rodeo::http3::detail {

bool stream::take(response_event e) {
  auto step = next_response_state(response, e);
  if (step.effect != response_effect::send) return false;
  response = step.next;
  return true;
}

void stream::append(rodeo::body_bytes data) {
  if (data.empty()) return;
  unsent += data.size();
  chunks.push_back(std::move(data));
}

void stream::ack(std::size_t n) {
  while (n > 0 && !chunks.empty() && handed > 0) {
    auto left = chunks.front().size() - front_acked;
    if (n < left) {
      front_acked += n;
      return;
    }
    n -= left;
    chunks.pop_front();
    --handed;
    front_acked = 0;
  }
}

}  // namespace rodeo::http3::detail
