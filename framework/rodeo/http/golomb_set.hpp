#pragma once
/// \file
/// A Golomb-coded set (GCS): a compact, probabilistic set of 64-bit hashes, the encoding h2o's
/// "casper" cookie uses to tell a server what a client already has in its cache.
///
/// Each member is its hash's top `universe_bits` bits (a value below 2^13). The values are
/// sorted and their differences coded Golomb-Rice with a remainder of `r` bits, r chosen for
/// the count (about log2(2^13 / n)). With n members the false-positive rate of `contains` is
/// about n / 2^13: at most 2^-7 (0.8 %, measured 0.80 %) for n <= max_members = 64, when the
/// encoding takes 3 bytes and about r + 2 = 9 bits a member: ~75 bytes, at most 104
/// characters of base64url (1 member: 8 characters).
///
/// Wire format (then base64url without padding): byte 0 = universe_bits, byte 1 = r, byte 2 =
/// n, then n Golomb-Rice codes MSB first (quotient in unary as ones ended by a zero, then r
/// bits), zero bits to the byte's end. Pure code: no I/O, no allocation beyond the results.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rodeo::http {

class golomb_set {
 public:
  static constexpr unsigned universe_bits = 13;
  static constexpr std::size_t max_members = 64;

  /// The set's value for a 64-bit hash: its top universe_bits bits.
  static std::uint32_t value_of(std::uint64_t hash) {
    return static_cast<std::uint32_t>(hash >> (64 - universe_bits));
  }

  /// Adds a hash; returns false (and adds nothing) when the set is full.
  bool insert(std::uint64_t hash);
  bool contains(std::uint64_t hash) const;
  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }

  /// The set as base64url text (no padding), for a cookie value.
  std::string encode() const;
  /// The set in `text`; anything malformed (bad base64url, another universe, too many
  /// members, values out of order or out of range, trailing bytes) gives an empty set.
  static golomb_set decode(std::string_view text);

  friend bool operator==(const golomb_set&, const golomb_set&) = default;

 private:
  std::vector<std::uint32_t> values_;  // sorted, unique
};

/// A 64-bit hash of `data` stable across processes and builds (FNV-1a, then MurmurHash3's
/// finalizer so that the top bits, which the set keeps, depend on every input byte).
std::uint64_t digest_hash(std::string_view data);

}  // namespace rodeo::http
