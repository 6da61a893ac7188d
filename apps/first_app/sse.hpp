#pragma once
// Server-sent events framing (HTML Living Standard, 9.2), the app's own for now.
// replace with rodeo::stream_events once available
#include <string>
#include <string_view>

namespace first_app {

// One event; data holds no newline here (JSON from dump() has none).
inline std::string sse_event(std::string_view data, std::string_view event = {}) {
  std::string out;
  if (!event.empty()) out.append("event: ").append(event).append("\n");
  return out.append("data: ").append(data).append("\n\n");
}

}  // namespace first_app
