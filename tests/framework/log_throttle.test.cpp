#include "rodeo/internal/net/log_throttle.hpp"

#include <doctest/doctest.h>

TEST_CASE("log_throttle lets one line a second through and counts the rest") {
  using namespace std::chrono_literals;
  rodeo::log_throttle t{1s};
  const auto t0 = rodeo::log_throttle::clock::time_point{} + 100s;
  CHECK(t.note(t0) == std::optional<std::size_t>{0});  // the first is always logged
  CHECK_FALSE(t.note(t0 + 1ms).has_value());
  CHECK_FALSE(t.note(t0 + 500ms).has_value());
  CHECK_FALSE(t.note(t0 + 999ms).has_value());
  CHECK(t.note(t0 + 1s) == std::optional<std::size_t>{3});  // 3 left out since the last line
  CHECK_FALSE(t.note(t0 + 1500ms).has_value());
  CHECK(t.note(t0 + 10s) == std::optional<std::size_t>{1});
  CHECK(t.note(t0 + 20s) == std::optional<std::size_t>{0});
}
