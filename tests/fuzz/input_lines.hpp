#pragma once
// Fuzz input split into '\n'-separated parts (the last one may be empty), for targets that
// take several fields from one input.
#include <string_view>
#include <vector>

namespace rodeo::fuzz {

inline std::vector<std::string_view> lines(std::string_view in) {
  std::vector<std::string_view> out;
  for (;;) {
    auto nl = in.find('\n');
    out.push_back(in.substr(0, nl));
    if (nl == std::string_view::npos) return out;
    in.remove_prefix(nl + 1);
  }
}

}  // namespace rodeo::fuzz
