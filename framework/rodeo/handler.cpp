#include "rodeo/handler.hpp"

#include "rodeo/req.hpp"

namespace rodeo {

std::string_view to_string(terminate_reason r) {
  switch (r) {
    case terminate_reason::normal:
      return "normal";
    case terminate_reason::crash:
      return "crash";
    case terminate_reason::reset:
      return "reset";
    case terminate_reason::timeout:
      return "timeout";
    case terminate_reason::shutdown:
      return "shutdown";
  }
  return "unknown";
}

void handler_base::timeout(req& r) {
  if (!r.replied()) r.reply(204);
}

}  // namespace rodeo
