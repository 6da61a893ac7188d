// Range requests: parse_range (framework/rodeo/http/range) and the static files' decision
// (middleware/rodeo/mw/static/ranges) for a representation whose size comes from the input.
// Input: 8 bytes of size (little-endian), then the Range value; `If-Range` is "W/\"x\"" when
// the size is odd. Properties: a partial answer lies inside the representation and names it
// in Content-Range; an unsatisfiable one says `bytes */size`.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "rodeo/http/range.hpp"
#include "rodeo/mw/static/ranges.hpp"

using namespace rodeo::mw::static_files;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = length << 8 | data[i];
  // Small sizes are where the edge cases are; keep most inputs there.
  if (data[7] < 0x80) length %= 4096;
  std::string_view value{reinterpret_cast<const char*>(data) + 8, size - 8};

  if (auto ranges = rodeo::http::parse_range(value))
    for (const auto& r : *ranges)
      if (r.first && r.last && *r.last < *r.first) std::abort();

  rodeo::headers request{{"range", std::string{value}}};
  if (length % 2) request.emplace_back("if-range", "W/\"x\"");
  validators current{.etag = "\"x\"", .last_modified = 784111777};
  auto d = resolve_range("GET", request, length, current);
  switch (d.kind) {
    case range_kind::full:
      if (!d.content_range.empty()) std::abort();
      break;
    case range_kind::partial:
      if (d.first > d.last || d.last >= length) std::abort();
      if (d.content_range != "bytes " + std::to_string(d.first) + "-" + std::to_string(d.last) +
                                 "/" + std::to_string(length))
        std::abort();
      break;
    case range_kind::unsatisfiable:
      if (d.content_range != "bytes */" + std::to_string(length)) std::abort();
      break;
  }
  if (resolve_range("HEAD", request, length, current).kind != range_kind::full) std::abort();
  return 0;
}
