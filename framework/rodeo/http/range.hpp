#pragma once
/// \file
/// The Range request header for the `bytes` unit (RFC 9110 §14.1.1, §14.2).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace rodeo::http {

/// One range-spec, positions as sent (not yet checked against a representation's length):
///   `0-99`  → {0, 99}        first and last byte, inclusive
///   `200-`  → {200, nullopt} from byte 200 to the end
///   `-500`  → {nullopt, 500} the final 500 bytes (`last` holds the suffix-length)
struct byte_range {
  std::optional<std::uint64_t> first;
  std::optional<std::uint64_t> last;

  /// True for a suffix range (`-500`).
  bool is_suffix() const noexcept { return !first.has_value(); }

  friend bool operator==(const byte_range&, const byte_range&) = default;
};

/// Parses `bytes=0-99,200-,-500` (unit compared case-insensitively, RFC 9110 §14.1; OWS and
/// empty elements around commas allowed, RFC 9110 §5.6.1.2). Returns `std::nullopt`, so the
/// caller ignores the field as RFC 9110 §14.2 allows, for another unit, an empty set, a
/// range whose last-pos is below its first-pos (RFC 9110 §14.1.1), a position that does not
/// fit 64 bits, or any other syntax error. Never throws.
[[nodiscard]] std::optional<std::vector<byte_range>> parse_range(std::string_view value);

}  // namespace rodeo::http
