#pragma once
/// \file
/// QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give the
/// length (1, 2, 4 or 8 bytes), the rest is the value, big-endian, at most 2^62 - 1. Every
/// integer in HTTP/3 framing is one (RFC 9114 §7.1).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace rodeo::http3::push {

/// The largest value a varint holds.
inline constexpr std::uint64_t varint_max = (std::uint64_t{1} << 62) - 1;

/// Bytes needed to encode `v` (1, 2, 4 or 8). `v` must be at most `varint_max`.
std::size_t varint_size(std::uint64_t v);

/// Appends `v` in its shortest encoding. Throws std::invalid_argument above `varint_max`.
void append_varint(std::string& out, std::uint64_t v);

/// Length of a varint from its first byte.
inline std::size_t varint_length(std::uint8_t first) { return std::size_t{1} << (first >> 6); }

/// Incremental decoder: a varint may arrive split across reads. Feed bytes until `done()`.
class varint_reader {
 public:
  /// Consumes bytes from `in` up to the end of the varint; returns how many it took.
  std::size_t feed(std::span<const std::uint8_t> in);
  bool done() const { return need_ != 0 && got_ == need_; }
  /// The value; only when `done()`.
  std::uint64_t value() const { return value_; }
  /// Bytes consumed so far for this varint.
  std::size_t size() const { return got_; }
  /// Those bytes, as they came (a peer may use a longer encoding than the shortest).
  std::span<const std::uint8_t> raw() const { return {raw_, got_}; }
  void reset() { *this = varint_reader{}; }

 private:
  std::uint64_t value_ = 0;
  std::size_t need_ = 0;
  std::size_t got_ = 0;
  std::uint8_t raw_[8] = {};
};

/// Decodes one whole varint at the front of `in`; nullopt when `in` is too short. On success
/// `used` is its length.
std::optional<std::uint64_t> read_varint(std::span<const std::uint8_t> in, std::size_t& used);

}  // namespace rodeo::http3::push
