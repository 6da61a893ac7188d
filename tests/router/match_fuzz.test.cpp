#include "rodeo/router/match.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

#include "router/tags.hpp"

using namespace rodeo::router;
using rodeo::test::tag;

namespace {

// Bytes the router gives meaning to come up often; any byte can appear.
std::string random_text(std::mt19937& rng, std::size_t max_len, bool path) {
  static constexpr std::string_view special = "%/[]:._*.%2e2E2F00";
  static constexpr std::string_view plain = "abcwxyz0123456789AF";
  std::uniform_int_distribution<std::size_t> len_d(0, max_len);
  std::uniform_int_distribution<int> kind_d(0, 9), byte_d(0, 255);
  std::string out;
  if (path && kind_d(rng) < 8) out += '/';
  for (std::size_t n = len_d(rng); n > 0; --n) {
    int k = kind_d(rng);
    auto pick = [&rng](std::string_view from) {
      return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
    };
    if (k < 4)
      out += pick(special);
    else if (k < 9)
      out += pick(plain);
    else
      out += static_cast<char>(byte_d(rng));
  }
  return out;
}

}  // namespace

TEST_CASE("match fuzz: 100k random hosts and paths never throw and give a valid result") {
  constraint boom = [](std::string_view s) -> bool {
    if (s.size() % 3 == 0) throw std::runtime_error("boom");
    return true;
  };
  auto compiled = compile({
      {"[...].a.b", {{"/[...]", tag("host_info")}}},
      {":x.:x", {{"x", nonempty_c}}, {{"/:x/[...]", tag("same")}, {"*", tag("star")}}},
      {":n.example.org", {{"n", int_c}}, {{"_", tag("n")}}},
      // Not "_": a malformed host (an empty label) must still reach bad_host.
      {"[...]",
       {
           {"/", tag("root")},
           {"/:a/[b/[:c]]", {{"c", {int_c, nonempty_c}}}, tag("opt")},
           {"/a/:_/:y", {{"y", boom}}, tag("boom")},
           {"/%2F/:z", tag("slash")},
           {"/r/[...]/", tag("rest")},
       }},
  });
  REQUIRE_MESSAGE(compiled, compiled.error());
  const routes& rs = *compiled;

  std::mt19937 rng(20240601);
  int thrown = 0, invalid = 0, ok = 0, bad_host = 0, no_path = 0, bad_path = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string host = random_text(rng, 16, false), path = random_text(rng, 32, true);
    try {
      auto m = match(rs, host, path);
      bool valid = true;
      switch (m.status) {
        case match_status::ok:
          ++ok;
          valid = m.target != nullptr;
          for (const auto& seg : m.path_info) valid = valid && seg != "." && seg != "..";
          break;
        case match_status::bad_host:
          ++bad_host;
          break;
        case match_status::no_path:
          ++no_path;
          break;
        case match_status::bad_path:
          ++bad_path;
          break;
        default:
          valid = false;
      }
      if (!m) {
        int status = http_status(m.status);
        valid = valid && !m.target && m.bindings.empty() && m.host_info.empty() &&
                m.path_info.empty() && (status == 400 || status == 404);
      }
      // Matching is a pure function of its input.
      auto again = match(rs, host, path);
      valid = valid && again.status == m.status && again.target == m.target &&
              again.path_info == m.path_info && again.host_info == m.host_info;
      if (!valid) {
        ++invalid;
        if (invalid <= 5)
          MESSAGE("invalid result for host \"" << host << "\" path \"" << path << "\"");
      }
    } catch (...) {
      ++thrown;
      if (thrown <= 5) MESSAGE("threw for host \"" << host << "\" path \"" << path << "\"");
    }
  }
  CHECK(thrown == 0);
  CHECK(invalid == 0);
  // Every outcome is reached, so the inputs exercise the whole matcher.
  CHECK(ok > 1000);
  CHECK(bad_host > 1000);
  CHECK(no_path > 1000);
  CHECK(bad_path > 1000);
  MESSAGE("ok " << ok << ", bad_host " << bad_host << ", no_path " << no_path << ", bad_path "
                << bad_path);
}
