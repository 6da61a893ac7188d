#pragma once
// Byte helpers for the HTTP/3 push layer's tests: building frames by hand, and feeding a
// sans-I/O reader the same input whole, one byte at a time and in random chunks.

#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/internal/protocol/http3/push/varint.hpp"

namespace rodeo::http3::push::test {

using bytes = std::vector<std::uint8_t>;

inline bytes to_bytes(std::string_view s) { return bytes(s.begin(), s.end()); }
inline std::string to_string(std::span<const std::uint8_t> b) {
  return std::string(b.begin(), b.end());
}

inline std::string varint(std::uint64_t v) {
  std::string s;
  append_varint(s, v);
  return s;
}

/// A whole frame: type, length, payload.
inline std::string frame(std::uint64_t type, std::string_view payload) {
  return varint(type) + varint(payload.size()) + std::string(payload);
}

/// Ways to cut an input into reads: whole, every byte alone, and random chunks (fixed seeds).
inline std::vector<std::vector<std::size_t>> splits(std::size_t size, int random_runs = 20) {
  std::vector<std::vector<std::size_t>> all;
  all.push_back({size});
  all.push_back(std::vector<std::size_t>(size, 1));
  for (int seed = 1; seed <= random_runs; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    std::uniform_int_distribution<std::size_t> len(1, 17);
    std::vector<std::size_t> cuts;
    for (std::size_t left = size; left > 0;) {
      std::size_t n = std::min(left, len(rng));
      cuts.push_back(n);
      left -= n;
    }
    all.push_back(cuts);
  }
  return all;
}

/// Every way to cut `size` bytes in two: at each byte boundary.
inline std::vector<std::vector<std::size_t>> two_piece_splits(std::size_t size) {
  std::vector<std::vector<std::size_t>> all;
  for (std::size_t i = 0; i <= size; ++i) all.push_back({i, size - i});
  return all;
}

}  // namespace rodeo::http3::push::test
