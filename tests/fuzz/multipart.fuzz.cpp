// multipart/form-data bodies (framework/rodeo/http/multipart): multipart_parser on arbitrary
// bytes. Properties beyond "no crash": the events do not depend on how the body is split
// (whole, or in pieces of a size the first byte picks); a part's data event is never empty;
// after done, malformed or too_large the parser repeats it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rodeo/http/multipart.hpp"

using namespace rodeo::http;

namespace {

// The events as text: kind, part name and filename, data joined between part boundaries.
std::string run(std::string_view body, std::size_t piece) {
  multipart_parser p{"XyZ", {.header_bytes = 256, .parts = 8, .total_bytes = 1 << 16}};
  std::string out;
  auto pull = [&]() -> bool {
    for (;;) {
      auto e = p.next();
      switch (e.kind) {
        case multipart_event_kind::need_more:
          return true;
        case multipart_event_kind::part:
          out += "\npart " + e.part.name + " " + e.part.filename.value_or("-") + " " +
                 e.part.content_type + "\n";
          break;
        case multipart_event_kind::data:
          if (e.data.empty()) std::abort();
          out += e.data;
          break;
        case multipart_event_kind::part_end:
          out += "\nend\n";
          break;
        default: {
          // A final event repeats.
          if (p.next().kind != e.kind) std::abort();
          out += "\nfinal " + std::to_string(static_cast<int>(e.kind)) + " " + e.error;
          return false;
        }
      }
    }
  };
  for (std::size_t at = 0; at < body.size(); at += piece) {
    p.feed(body.substr(at, piece));
    if (!pull()) return out;
  }
  p.finish();
  if (pull()) std::abort();  // after finish, the parser always ends
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 16;
  std::string_view body{reinterpret_cast<const char*>(data) + 1, size - 1};
  if (run(body, body.size() + 1) != run(body, piece)) std::abort();
  return 0;
}
