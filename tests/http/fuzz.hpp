#pragma once
// Deterministic random inputs for the parsers' robustness loops: a fixed seed, so a failure
// reproduces; inputs are either random strings biased towards the grammar's own characters,
// or valid samples with a few bytes inserted, deleted or replaced.

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rodeo::test {

/// How many inputs each parser's loop runs.
inline constexpr int fuzz_iterations = 20000;

class fuzzer {
 public:
  /// `alphabet`: the characters the grammar cares about. `samples`: valid values to mutate.
  fuzzer(std::string alphabet, std::vector<std::string> samples, std::uint32_t seed = 0x5eed)
      : alphabet_(std::move(alphabet)), samples_(std::move(samples)), rng_(seed) {}

  /// The next input.
  std::string next() {
    if (!samples_.empty() && below(2) == 0) return mutate(samples_[below(samples_.size())]);
    std::string s(below(48), '\0');
    for (auto& c : s) c = byte();
    return s;
  }

 private:
  std::size_t below(std::size_t n) { return n == 0 ? 0 : rng_() % n; }

  /// Mostly the alphabet, sometimes any byte (controls, NUL, obs-text).
  char byte() {
    if (alphabet_.empty() || below(5) == 0) return static_cast<char>(below(256));
    return alphabet_[below(alphabet_.size())];
  }

  std::string mutate(std::string s) {
    const auto edits = 1 + below(3);
    for (std::size_t k = 0; k < edits; ++k) {
      const auto at = below(s.size() + 1);
      switch (below(3)) {
        case 0:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), byte());
          break;
        case 1:
          if (at < s.size()) s.erase(at, 1);
          break;
        default:
          if (at < s.size()) s[at] = byte();
          break;
      }
    }
    return s;
  }

  std::string alphabet_;
  std::vector<std::string> samples_;
  std::mt19937 rng_;
};

}  // namespace rodeo::test
