#include "rodeo/router/constraints.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

using namespace rodeo::router;

namespace {

// The std::int64_t int_c makes of `text`, or nullopt if it rejects it.
std::optional<std::int64_t> as_int(std::string_view text) {
  auto r = int_c(text);
  if (!r) return std::nullopt;
  REQUIRE(r->type() == typeid(std::int64_t));
  return std::any_cast<std::int64_t>(*r);
}

constraint_result lowercase_only(std::string_view s) {
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return std::nullopt;
  return constraint_result{std::any{}};
}

}  // namespace

TEST_CASE("constraints: int accepts a sign and decimal digits that fit 64 bits") {
  CHECK(as_int("123") == 123);
  CHECK(as_int("-12") == -12);
  CHECK(as_int("+7") == 7);
  CHECK(as_int("0") == 0);
  CHECK(as_int("007") == 7);
  CHECK(as_int("9223372036854775807") == std::numeric_limits<std::int64_t>::max());
  CHECK(as_int("-9223372036854775808") == std::numeric_limits<std::int64_t>::min());
}

TEST_CASE("constraints: int rejects everything else") {
  for (const char* bad :
       {"", "-", "+", "NaN", "12a", " 1", "1 ", "1.5", "0x10", "--1", "+-1", "9223372036854775808",
        "-9223372036854775809", "99999999999999999999999"}) {
    CAPTURE(bad);
    CHECK_FALSE(as_int(bad).has_value());
  }
}

TEST_CASE("constraints: nonempty rejects only the empty text and keeps the value") {
  CHECK_FALSE(nonempty_c("").has_value());
  auto r = nonempty_c("something");
  REQUIRE(r.has_value());
  CHECK_FALSE(r->has_value());
}

TEST_CASE("constraints: callables returning bool, optional of T or optional of any") {
  constraint yes_no = [](std::string_view s) { return s.size() <= 3; };
  CHECK(yes_no("abc").has_value());
  CHECK_FALSE(yes_no("abcd").has_value());
  CHECK_FALSE(yes_no("abc")->has_value());

  // Cowboy's lowercase example, converting to a std::string.
  constraint lower = [](std::string_view s) -> std::optional<std::string> {
    for (char c : s)
      if (c >= 'A' && c <= 'Z') return std::nullopt;
    return std::string{s};
  };
  auto r = lower("essen");
  REQUIRE(r.has_value());
  CHECK(std::any_cast<std::string>(*r) == "essen");
  CHECK_FALSE(lower("ESSEN").has_value());

  constraint fn = &lowercase_only;
  CHECK(fn("essen").has_value());
  CHECK_FALSE(fn("Essen").has_value());

  int calls = 0;  // a capturing callable with state of its own
  constraint counting = [&calls](std::string_view) {
    ++calls;
    return true;
  };
  counting("x");
  counting("y");
  CHECK(calls == 2);
}

TEST_CASE("constraints: fields take one constraint or a list") {
  field one{"id", int_c};
  field list{"id", {int_c, nonempty_c}};
  field lambda{"name", [](std::string_view s) { return !s.empty(); }};
  CHECK(one.name == "id");
  CHECK(one.constraints.size() == 1);
  CHECK(list.constraints.size() == 2);
  CHECK(lambda.constraints.size() == 1);
  fields fs{{"id", int_c}, {"name", {nonempty_c}}};
  CHECK(fs.size() == 2);
}

TEST_CASE("constraints: a list runs in order, the last conversion wins") {
  std::any value = std::string{"42"};
  CHECK(apply_constraints({int_c, nonempty_c}, "42", value));
  CHECK(std::any_cast<std::int64_t>(value) == 42);

  value = std::string{"x"};
  CHECK(apply_constraints({nonempty_c}, "x", value));
  CHECK(std::any_cast<std::string>(value) == "x");  // no conversion: left as it was

  constraint doubled = [](std::string_view s) -> std::optional<std::string> {
    return std::string{s} + std::string{s};
  };
  value.reset();
  CHECK(apply_constraints({int_c, doubled}, "7", value));
  CHECK(std::any_cast<std::string>(value) == "77");

  CHECK(apply_constraints({}, "anything", value));
}

TEST_CASE("constraints: the first rejection stops the list and leaves the value alone") {
  int later = 0;
  constraint spy = [&later](std::string_view) {
    ++later;
    return true;
  };
  std::any value = std::string{"orig"};
  CHECK_FALSE(apply_constraints({nonempty_c, spy}, "", value));
  CHECK(later == 0);
  CHECK(std::any_cast<std::string>(value) == "orig");
  CHECK(apply_constraints({int_c, spy, nonempty_c}, "1", value));
  CHECK(later == 1);
}

TEST_CASE("constraints: a constraint that throws rejects instead of throwing") {
  constraint boom = [](std::string_view) -> bool { throw std::runtime_error("boom"); };
  std::any value = std::string{"v"};
  bool accepted = true;
  CHECK_NOTHROW(accepted = apply_constraints({boom}, "v", value));
  CHECK_FALSE(accepted);
  CHECK(std::any_cast<std::string>(value) == "v");
}

namespace {
std::optional<int> small_number(std::string_view s) {
  if (s.size() == 1 && s[0] >= '0' && s[0] <= '9') return s[0] - '0';
  return std::nullopt;
}
}  // namespace

TEST_CASE("a constraint may be a function named without '&'") {
  rodeo::router::constraint c{small_number};
  auto ok = c("7");
  REQUIRE(ok.has_value());
  CHECK(std::any_cast<int>(*ok) == 7);
  CHECK_FALSE(c("42").has_value());
}
