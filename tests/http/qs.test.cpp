#include "rodeo/http/qs.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "http/fuzz.hpp"

using namespace rodeo::http;
using namespace std::string_literals;

namespace {

struct qs_row {
  std::string in;
  qs_pairs out;
};

std::string error_of(std::string_view qs) {
  try {
    (void)parse_qs(qs);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("parse_qs: form-urlencoded pairs as cow_qs parses them") {
  const std::vector<qs_row> rows = {
      {"", {}},
      {"&", {}},
      {"a", {{"a", ""}}},
      {"a&", {{"a", ""}}},
      {"&a", {{"a", ""}}},
      {"a&b", {{"a", ""}, {"b", ""}}},
      {"a&&b", {{"a", ""}, {"b", ""}}},
      {"a&b&", {{"a", ""}, {"b", ""}}},
      {"a=", {{"a", ""}}},
      {"a=b", {{"a", "b"}}},
      {"a=&b=", {{"a", ""}, {"b", ""}}},
      {"a=b&c&d=e", {{"a", "b"}, {"c", ""}, {"d", "e"}}},
      {"a=b=c&d=e=f&g=h=i", {{"a", "b=c"}, {"d", "e=f"}, {"g", "h=i"}}},
      {"+", {{" ", ""}}},
      {"+=+", {{" ", " "}}},
      {"a+b=c+d", {{"a b", "c d"}}},
      {"+a+=+b+&+c+=+d+", {{" a ", " b "}, {" c ", " d "}}},
      {"a%20b=c%20d", {{"a b", "c d"}}},
      {"%25%26%3D=%25%26%3D&_-.=.-_", {{"%&=", "%&="}, {"_-.", ".-_"}}},
      {"for=extend%2Franch", {{"for", "extend/ranch"}}},
      {"a=1&a=2", {{"a", "1"}, {"a", "2"}}},
      {"k=%e2%82%AC", {{"k", "\xe2\x82\xac"}}},
      {"nul=%00", {{"nul", "\0"s}}},
      {"sp ace=ta\tb", {{"sp ace", "ta\tb"}}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.in);
    CHECK(parse_qs(r.in) == r.out);
    CHECK(try_parse_qs(r.in) == r.out);
  }
}

TEST_CASE(
    "parse_qs: malformed query strings throw invalid_argument and try_parse_qs gives nullopt") {
  for (std::string_view bad : {"=", "=b", "a=b&=", "a=b&=c", "%", "a%", "a%2", "a%2x=1", "a=%zz",
                               "a=%", "a=%4", "%%", "x=%G0"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_qs(bad), std::invalid_argument);
    CHECK_FALSE(try_parse_qs(bad).has_value());
  }
  CHECK(error_of("a=%zz") ==
        "invalid query string: '%' at offset 2 is not followed by two hex digits");
  CHECK(error_of("ok=1&b%4") ==
        "invalid query string: '%' at offset 6 is not followed by two hex digits");
  CHECK(error_of("a=1&=2") == "invalid query string: empty name before '=' at offset 4");
}

TEST_CASE("parse_qs: more keys than max_keys is refused") {
  std::string hundred;
  for (int i = 1; i <= 100; ++i) hundred += (i > 1 ? "&a" : "a") + std::to_string(i) + "=b";
  CHECK(parse_qs(hundred).size() == 100);
  CHECK(parse_qs(hundred + "&").size() == 100);  // a trailing empty pair is not a key
  CHECK(error_of(hundred + "&a101=b") == "invalid query string: more than 100 keys");
  CHECK_FALSE(try_parse_qs("a&b&c", 2).has_value());
  CHECK(try_parse_qs("a&b", 2) == qs_pairs{{"a", ""}, {"b", ""}});
}

TEST_CASE(
    "RFC 3986 §2.1: urlencode keeps alphanumerics and -._ and encodes the rest with uppercase "
    "hex") {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"\xff\0"s, "%FF%00"},
      {"\xff ", "%FF+"},
      {" ", "+"},
      {"aBc123", "aBc123"},
      {".-_", ".-_"},
      {"~*'()", "%7E%2A%27%28%29"},
      {"a+b&c=d/e?f#g%h", "a%2Bb%26c%3Dd%2Fe%3Ff%23g%25h"},
      {"\xe2\x82\xac", "%E2%82%AC"},
      {"", ""},
  };
  for (const auto& [in, out] : rows) {
    CAPTURE(in);
    CHECK(urlencode(in) == out);
  }
}

TEST_CASE("RFC 3986 §2.1: urldecode reads '+' as space and %XX a byte in either case") {
  CHECK(urldecode("%20") == " ");
  CHECK(urldecode("+") == " ");
  CHECK(urldecode("%00") == "\0"s);
  CHECK(urldecode("%fF") == "\xff");
  CHECK(urldecode("123") == "123");
  CHECK(urldecode("Small%2C+fast%2C+modular+HTTP+server.") == "Small, fast, modular HTTP server.");
  CHECK(urldecode("a=b&c") == "a=b&c");
  CHECK_THROWS_WITH_AS(urldecode("%i5"),
                       "invalid urlencoded text: '%' at offset 0 is not followed by two hex digits",
                       std::invalid_argument);
  CHECK_THROWS_AS(urldecode("%5"), std::invalid_argument);
  CHECK_FALSE(try_urldecode("ab%").has_value());
  CHECK(try_urldecode("a%41") == "aA");
}

TEST_CASE("build_qs: encodes each name and value") {
  CHECK(build_qs({}) == "");
  CHECK(build_qs({{"a", "b"}}) == "a=b");
  CHECK(build_qs({{"a", ""}, {"b", ""}}) == "a=&b=");
  CHECK(build_qs({{"a", "b=c"}, {"d", "e=f"}, {"g", "h=i"}}) == "a=b%3Dc&d=e%3Df&g=h%3Di");
  CHECK(build_qs({{" ", " "}}) == "+=+");
  CHECK(build_qs({{"%&=", "%&="}, {"_-.", ".-_"}}) == "%25%26%3D=%25%26%3D&_-.=.-_");
  CHECK(build_qs({{"for", "extend/ranch"}}) == "for=extend%2Franch");
}

// --- match_qs ------------------------------------------------------------------------------

namespace {

std::string match_error(std::string_view qs, const std::vector<qs_field>& fields,
                        std::string* field = nullptr) {
  try {
    (void)match_qs(qs, fields);
  } catch (const qs_error& e) {
    if (field != nullptr) *field = e.field();
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("match_qs: listed fields only, text without constraints, int_c to int64") {
  const auto v = match_qs("id=42&lang=fr&other=x", {{"id", {int_c}}, {"lang"}});
  CHECK(v.size() == 2);
  CHECK(std::any_cast<std::int64_t>(v.at("id")) == 42);
  CHECK(std::any_cast<std::string>(v.at("lang")) == "fr");
  CHECK(v.count("other") == 0);
}

TEST_CASE("match_qs: a default is used as is when the field is absent") {
  const auto v = match_qs("", {{"page", {int_c}, std::int64_t{1}}, {"q", {}, std::string{"*"}}});
  CHECK(std::any_cast<std::int64_t>(v.at("page")) == 1);
  CHECK(std::any_cast<std::string>(v.at("q")) == "*");
  // Present values still go through the constraints, default or not.
  CHECK(std::any_cast<std::int64_t>(
            match_qs("page=7", {{"page", {int_c}, std::int64_t{1}}}).at("page")) == 7);
  CHECK(match_error("page=x", {{"page", {int_c}, std::int64_t{1}}}) ==
        "query string field 'page': rejected by constraint 'int'");
}

TEST_CASE("match_qs: a missing field without default is a qs_error naming it") {
  std::string field;
  CHECK(match_error("a=1", {{"a"}, {"page"}}, &field) ==
        "query string field 'page': missing and has no default");
  CHECK(field == "page");
  // qs_error is an invalid_argument, the one type the framework turns into 400.
  CHECK_THROWS_AS(match_qs("", {{"page"}}), std::invalid_argument);
}

TEST_CASE("match_qs: int_c takes a sign and rejects anything else or overflow") {
  const auto int_of = [](std::string_view qs) {
    return std::any_cast<std::int64_t>(match_qs(qs, {{"n", {int_c}}}).at("n"));
  };
  CHECK(int_of("n=0") == 0);
  CHECK(int_of("n=007") == 7);
  CHECK(int_of("n=%2B5") == 5);
  CHECK(int_of("n=-5") == -5);
  CHECK(int_of("n=9223372036854775807") == INT64_MAX);
  CHECK(int_of("n=-9223372036854775808") == INT64_MIN);
  for (std::string_view bad : {"n=", "n", "n=9223372036854775808", "n=-9223372036854775809", "n=+",
                               "n=-", "n=1.5", "n=+%205", "n=0x10", "n=1e3", "n=%2B-1"}) {
    CAPTURE(bad);
    CHECK(match_error(bad, {{"n", {int_c}}}) ==
          "query string field 'n': rejected by constraint 'int'");
  }
}

TEST_CASE("match_qs: nonempty_c rejects an empty value, which a flag without '=' also has") {
  CHECK(std::any_cast<std::string>(match_qs("name=x", {{"name", {nonempty_c}}}).at("name")) == "x");
  CHECK(match_error("name=", {{"name", {nonempty_c}}}) ==
        "query string field 'name': rejected by constraint 'nonempty'");
  CHECK(match_error("name", {{"name", {nonempty_c}}}) ==
        "query string field 'name': rejected by constraint 'nonempty'");
  CHECK(std::any_cast<std::string>(match_qs("flag", {{"flag"}}).at("flag")).empty());
  CHECK(int_c.name() == "int");
  CHECK(nonempty_c.name() == "nonempty");
}

TEST_CASE("match_qs: constraints chain and from() wraps text or any callables") {
  const auto yes_no = constraint::from(
      [](std::string_view s) -> std::optional<std::any> {
        if (s == "yes") return true;
        if (s == "no") return false;
        return std::nullopt;
      },
      "yes_no");
  const auto positive = constraint::from(
      [](const std::any& v) -> std::optional<std::any> {
        const auto* i = std::any_cast<std::int64_t>(&v);
        if (i == nullptr || *i <= 0) return std::nullopt;
        return *i * 2;
      },
      "positive");
  CHECK(yes_no.name() == "yes_no");
  const std::vector<qs_field> fields = {{"ok", {yes_no}}, {"n", {nonempty_c, int_c, positive}}};
  const auto v = match_qs("ok=yes&n=21", fields);
  CHECK(std::any_cast<bool>(v.at("ok")) == true);
  CHECK(std::any_cast<std::int64_t>(v.at("n")) == 42);
  CHECK(match_error("ok=maybe&n=1", fields) ==
        "query string field 'ok': rejected by constraint 'yes_no'");
  CHECK(match_error("ok=no&n=-1", fields) ==
        "query string field 'n': rejected by constraint 'positive'");
  // A text constraint after a converting one sees no text, and rejects.
  CHECK(match_error("n=1", {{"n", {int_c, yes_no}}}) ==
        "query string field 'n': rejected by constraint 'yes_no'");
  // The default name.
  const auto any_text = constraint::from(
      [](std::string_view s) -> std::optional<std::any> { return std::string{s}; });
  CHECK(any_text.name() == "custom");
}

TEST_CASE("match_qs: a repeated field gives all values, unless constrained") {
  const auto v = match_qs("tag=a&x=1&tag=b&tag=", {{"tag"}});
  CHECK(std::any_cast<std::vector<std::string>>(v.at("tag")) ==
        std::vector<std::string>{"a", "b", ""});
  CHECK(match_error("n=1&n=2", {{"n", {int_c}}}) ==
        "query string field 'n': given 2 times but its constraints need a single value");
}

TEST_CASE("match_qs: a malformed query string is invalid_argument, not a field error") {
  std::string what;
  try {
    (void)match_qs("a=%zz", {{"a"}});
  } catch (const qs_error&) {
    what = "qs_error";
  } catch (const std::invalid_argument& e) {
    what = e.what();
  }
  CHECK(what == "invalid query string: '%' at offset 2 is not followed by two hex digits");
}

TEST_CASE("parse_qs fuzz: only invalid_argument, try_ agrees, round trips hold") {
  rodeo::test::fuzzer fuzz{"ab=&+%2F09zZ ", {"a=b&c=d", "x=%41%42+c", "k&v=", "%E2%82%AC=1"}};
  for (int i = 0; i < rodeo::test::fuzz_iterations; ++i) {
    const auto in = fuzz.next();
    CAPTURE(in);
    std::optional<qs_pairs> tried;
    REQUIRE_NOTHROW(tried = try_parse_qs(in));
    try {
      const auto parsed = parse_qs(in);
      REQUIRE(tried == parsed);
      REQUIRE(parse_qs(build_qs(parsed)) == parsed);
    } catch (const std::invalid_argument&) {
      REQUIRE_FALSE(tried.has_value());
    }
    REQUIRE(urldecode(urlencode(in)) == in);
    REQUIRE_NOTHROW((void)try_urldecode(in));
  }
}
