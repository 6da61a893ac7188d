#include "rodeo/http/golomb_set.hpp"

#include <algorithm>

#include "rodeo/http/base64url.hpp"

namespace rodeo::http {

namespace {

class bit_writer {
 public:
  void put(bool bit) {
    if (n_ % 8 == 0) out_ += '\0';
    if (bit) out_.back() = static_cast<char>(out_.back() | (0x80 >> (n_ % 8)));
    ++n_;
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
  std::size_t n_ = 0;
};

class bit_reader {
 public:
  explicit bit_reader(std::string_view in) : in_(in) {}
  // -1 at the end of the input.
  int get() {
    if (n_ >= in_.size() * 8) return -1;
    int bit = (static_cast<unsigned char>(in_[n_ / 8]) >> (7 - n_ % 8)) & 1;
    ++n_;
    return bit;
  }
  // The bits left in the last byte read are all zero, and no byte follows.
  bool at_clean_end() {
    while (n_ % 8 != 0)
      if (get() != 0) return false;
    return n_ == in_.size() * 8;
  }

 private:
  std::string_view in_;
  std::size_t n_ = 0;
};

// The Rice parameter for n values spread over the universe: log2 of the mean gap.
unsigned rice_bits(std::size_t n) {
  unsigned r = 0;
  while (r + 1 < golomb_set::universe_bits &&
         (std::size_t{1} << (r + 1)) * n <= (1u << golomb_set::universe_bits))
    ++r;
  return r;
}

}  // namespace

bool golomb_set::insert(std::uint64_t hash) {
  const auto v = value_of(hash);
  auto at = std::lower_bound(values_.begin(), values_.end(), v);
  if (at != values_.end() && *at == v) return true;
  if (values_.size() >= max_members) return false;
  values_.insert(at, v);
  return true;
}

bool golomb_set::contains(std::uint64_t hash) const {
  return std::binary_search(values_.begin(), values_.end(), value_of(hash));
}

std::string golomb_set::encode() const {
  const unsigned r = rice_bits(values_.size());
  std::string header;
  header += static_cast<char>(universe_bits);
  header += static_cast<char>(r);
  header += static_cast<char>(values_.size());
  bit_writer codes;
  std::uint32_t prev = 0;
  for (auto v : values_) {
    const std::uint32_t delta = v - prev;
    prev = v;
    for (std::uint32_t q = delta >> r; q > 0; --q) codes.put(true);
    codes.put(false);
    for (unsigned b = r; b > 0; --b) codes.put((delta >> (b - 1)) & 1);
  }
  return encode_base64url(header + codes.bytes());
}

golomb_set golomb_set::decode(std::string_view text) {
  // The cookie is written without padding: '=' is not part of a digest.
  if (text.find('=') != std::string_view::npos) return {};
  const auto decoded = decode_base64url(text);
  if (!decoded || decoded->size() < 3) return {};
  const std::string& bytes = *decoded;
  const auto universe = static_cast<unsigned char>(bytes[0]);
  const auto r = static_cast<unsigned char>(bytes[1]);
  const auto n = static_cast<unsigned char>(bytes[2]);
  if (universe != universe_bits || r >= universe_bits || n > max_members) return {};
  bit_reader in{std::string_view{bytes}.substr(3)};
  golomb_set s;
  std::uint32_t prev = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t q = 0;
    for (int bit; (bit = in.get()) != 0; ++q)
      if (bit < 0 || q >= (1u << universe_bits)) return {};
    std::uint32_t rem = 0;
    for (unsigned b = 0; b < r; ++b) {
      const int bit = in.get();
      if (bit < 0) return {};
      rem = (rem << 1) | static_cast<std::uint32_t>(bit);
    }
    const std::uint32_t delta = (q << r) | rem;
    // Members are unique and sorted: every delta but the first is positive.
    if (i > 0 && delta == 0) return {};
    prev += delta;
    if (prev >= (1u << universe_bits)) return {};
    s.values_.push_back(prev);
  }
  if (!in.at_clean_end()) return {};
  return s;
}

std::uint64_t digest_hash(std::string_view data) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace rodeo::http
