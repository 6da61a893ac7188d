#pragma once
/// \file
/// Header fields as Rodeo passes them around: an ordered list of (name, value) pairs.
/// Names are lowercase on every path into a handler (HTTP/2 requires it, RFC 9113 §8.2.1,
/// and HTTP/1.1 names are folded on parse) so that handlers compare them with `==`.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rodeo {

using header = std::pair<std::string, std::string>;
using headers = std::vector<header>;

/// The value of the first field named `name` (lowercase), if any. The view borrows from `hs`.
inline std::optional<std::string_view> find_header(const headers& hs, std::string_view name) {
  for (const auto& [n, v] : hs)
    if (n == name) return std::string_view{v};
  return std::nullopt;
}

/// True if a field named `name` (lowercase) is present.
inline bool has_header(const headers& hs, std::string_view name) {
  return find_header(hs, name).has_value();
}

}  // namespace rodeo
