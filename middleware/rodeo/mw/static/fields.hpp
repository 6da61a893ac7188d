#pragma once
/// \file
/// Reading list-valued request fields the way RFC 9110 §5.3 allows a recipient to: several
/// field lines of the same name are one value, joined with ", ".

#include <optional>
#include <string>
#include <string_view>

#include "rodeo/headers.hpp"

namespace rodeo::mw::static_files {

/// The combined value of every field line named `name` (lowercase), or nullopt if none.
inline std::optional<std::string> combined_field(const rodeo::headers& hs, std::string_view name) {
  std::optional<std::string> out;
  for (const auto& [n, v] : hs) {
    if (n != name) continue;
    if (out) {
      out->append(", ");
      out->append(v);
    } else {
      out = v;
    }
  }
  return out;
}

/// `s` without leading and trailing optional whitespace (SP / HTAB, RFC 9110 §5.6.3).
inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace rodeo::mw::static_files
