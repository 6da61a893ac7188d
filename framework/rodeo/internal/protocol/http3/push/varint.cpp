#include "rodeo/internal/protocol/http3/push/varint.hpp"

#include <stdexcept>

namespace rodeo::http3::push {

std::size_t varint_size(std::uint64_t v) {
  if (v < (1u << 6)) return 1;
  if (v < (1u << 14)) return 2;
  if (v < (std::uint64_t{1} << 30)) return 4;
  return 8;
}

void append_varint(std::string& out, std::uint64_t v) {
  if (v > varint_max) throw std::invalid_argument("varint above 2^62 - 1");
  std::size_t n = varint_size(v);
  // The length prefix (RFC 9000 §16, table 4): 00, 01, 10, 11 for 1, 2, 4, 8 bytes.
  std::uint8_t prefix = n == 1 ? 0x00 : n == 2 ? 0x40 : n == 4 ? 0x80 : 0xc0;
  for (std::size_t i = 0; i < n; ++i) {
    auto byte = static_cast<std::uint8_t>(v >> (8 * (n - 1 - i)));
    if (i == 0) byte |= prefix;
    out.push_back(static_cast<char>(byte));
  }
}

std::size_t varint_reader::feed(std::span<const std::uint8_t> in) {
  std::size_t used = 0;
  while (!done() && used < in.size()) {
    std::uint8_t b = in[used++];
    raw_[got_] = b;
    if (got_ == 0) {
      need_ = varint_length(b);
      b &= 0x3f;
    }
    value_ = (value_ << 8) | b;
    ++got_;
  }
  return used;
}

std::optional<std::uint64_t> read_varint(std::span<const std::uint8_t> in, std::size_t& used) {
  if (in.empty()) return std::nullopt;
  std::size_t n = varint_length(in[0]);
  if (in.size() < n) return std::nullopt;
  std::uint64_t v = in[0] & 0x3f;
  for (std::size_t i = 1; i < n; ++i) v = (v << 8) | in[i];
  used = n;
  return v;
}

}  // namespace rodeo::http3::push
