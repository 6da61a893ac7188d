#include "rodeo/http/golomb_set.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

using rodeo::http::digest_hash;
using rodeo::http::golomb_set;

namespace {
golomb_set random_set(std::mt19937_64& rng, std::size_t n) {
  golomb_set s;
  while (s.size() < n) s.insert(rng());
  return s;
}
}  // namespace

TEST_CASE("golomb_set: encode then decode gives the same set, for every size up to the cap") {
  std::mt19937_64 rng{12};
  for (std::size_t n = 0; n <= golomb_set::max_members; ++n) {
    const auto s = random_set(rng, n);
    const auto text = s.encode();
    CHECK(golomb_set::decode(text) == s);
    // The documented bound: 3 header bytes and about r + 2 bits a member, 104 characters at
    // 64 members.
    CHECK(text.size() <= 104);
  }
}

TEST_CASE("golomb_set: members are found, the cap holds, a full set refuses new members") {
  golomb_set s;
  for (int i = 0; i < 64; ++i) CHECK(s.insert(digest_hash("/asset" + std::to_string(i))));
  for (int i = 0; i < 64; ++i) CHECK(s.contains(digest_hash("/asset" + std::to_string(i))));
  CHECK(s.size() <= golomb_set::max_members);
  std::mt19937_64 rng{7};
  while (s.size() < golomb_set::max_members) s.insert(rng());
  std::uint64_t h = rng();
  while (s.contains(h)) h = rng();
  CHECK_FALSE(s.insert(h));
  CHECK_FALSE(s.contains(h));
}

TEST_CASE("golomb_set: false-positive rate at 64 members is about 2^-7, measured") {
  std::mt19937_64 rng{2026};
  std::size_t hits = 0, probes = 0;
  for (int round = 0; round < 50; ++round) {
    const auto s = golomb_set::decode(random_set(rng, 64).encode());
    for (int i = 0; i < 4000; ++i, ++probes)
      if (s.contains(rng())) ++hits;
  }
  const double rate = static_cast<double>(hits) / static_cast<double>(probes);
  MESSAGE("false positives: " << hits << "/" << probes << " = " << rate);
  CHECK(rate < 1.0 / 100);  // 64 / 8192 = 0.0078
  CHECK(rate > 1.0 / 200);
}

TEST_CASE("golomb_set: a malformed digest decodes as the empty set") {
  std::mt19937_64 rng{3};
  const auto good = random_set(rng, 10).encode();
  for (std::string bad : {std::string{}, std::string{"!!!!"}, std::string{"A"},
                          std::string{"DQAA"} /* universe 13, r 0, n 0 - fine */, good + "AA",
                          good.substr(0, good.size() - 3), "ZQcK" + good.substr(4),
                          std::string{"DQdB"} /* n 65 > cap */, std::string{"DgcA"}}) {
    const auto s = golomb_set::decode(bad);
    CHECK(s.empty());
  }
  // A value out of order: two members with a zero gap.
  CHECK(golomb_set::decode("DQACAAA").empty());
}

TEST_CASE("digest_hash is stable across builds: fixed values") {
  CHECK(digest_hash("") == digest_hash(""));
  CHECK(digest_hash("/style.css\n\"1-2\"") != digest_hash("/style.css\n\"1-3\""));
  CHECK(golomb_set::value_of(digest_hash("/style.css")) < (1u << golomb_set::universe_bits));
}
