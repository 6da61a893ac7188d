#include "rodeo/mw/static/precompressed.hpp"

#include <string>

#include "rodeo/http/accept.hpp"

namespace rodeo::mw::static_files {

int coding_weight(std::string_view accept_encoding, std::string_view coding) {
  const auto list = http::parse_accept_encoding(accept_encoding);
  if (!list) return 0;
  std::string want(coding);
  for (char& c : want)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  std::optional<int> own, star;
  for (const auto& [value, quality] : *list) {
    // RFC 9110 §8.4.1.3: x-gzip is gzip. The list is sorted by quality: the first entry of a
    // coding named twice is its best.
    const std::string_view name = value == "x-gzip" ? std::string_view{"gzip"} : value;
    if (name == want && !own)
      own = quality;
    else if (name == "*" && !star)
      star = quality;
  }
  return own ? *own : star ? *star : 0;
}

std::string_view choose_coding(std::optional<std::string_view> accept_encoding,
                               const std::vector<std::string_view>& available) {
  if (!accept_encoding) return {};
  std::string_view best;
  int best_weight = 0;
  for (const auto& v : coding_variants) {
    bool on_disk = false;
    for (auto a : available) on_disk = on_disk || a == v.coding;
    if (!on_disk) continue;
    const int w = coding_weight(*accept_encoding, v.coding);
    if (w > best_weight) {
      best = v.coding;
      best_weight = w;
    }
  }
  return best;
}

}  // namespace rodeo::mw::static_files
