#include "rodeo/internal/protocol/http2/stream.hpp"

#include <algorithm>
#include <cstring>

namespace rodeo::http2::detail {

void stream::add_field(std::string_view name, std::string_view value, std::size_t limit) {
  header_bytes += name.size() + value.size() + 32;
  if (header_bytes > limit) header_overflow = true;
  if (header_overflow) return;  // the engine fails the block: no more fields come

  add(name, value);
}

void stream::finish_head(bool tls, bool end_stream) {
  finish("HTTP/2", tls ? "https" : "http", end_stream);
}

bool stream::take(response_event e) {
  auto step = next_response_state(response, e);
  if (step.effect != response_effect::send) return false;
  response = step.next;
  return true;
}

void stream::consume(std::size_t n) { out.consume(n); }

}  // namespace rodeo::http2::detail
