#include "rodeo/http/etag.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "http/fuzz.hpp"

using namespace rodeo::http;
using namespace std::string_literals;

TEST_CASE("RFC 9110 §8.8.3: parse_etag reads strong and weak tags") {
  CHECK(parse_etag("\"xyzzy\"") == entity_tag{"xyzzy", false});
  CHECK(parse_etag("W/\"xyzzy\"") == entity_tag{"xyzzy", true});
  CHECK(parse_etag("\"\"") == entity_tag{"", false});
  CHECK(parse_etag(" \"a!#~\" ") == entity_tag{"a!#~", false});
  CHECK(parse_etag("\"\\\"") == entity_tag{"\\", false});  // a backslash is plain etagc
  CHECK(parse_etag("\"caf\xc3\xa9\"") == entity_tag{"caf\xc3\xa9", false});  // obs-text
  for (std::string_view bad : {"", "\"", "W", "W/", "w/\"x\"", "xyzzy", "\"a\"b", "\"a b\"",
                               "\"a\"\"", "W/ \"x\"", "\"a\",\"b\"", "\"\x7f\"", "\"a\tb\"", "*"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_etag(bad).has_value());
  }
  CHECK_FALSE(parse_etag("\"a\0\""s).has_value());
}

TEST_CASE("RFC 9110 §13.1.1: if-match is a star or a list of entity tags") {
  CHECK(parse_if_match("\"xyzzy\"") == etag_list{false, {{"xyzzy", false}}});
  CHECK(parse_if_match("\"xyzzy\", \"r2d2xxxx\", \"c3piozzzz\"") ==
        etag_list{false, {{"xyzzy", false}, {"r2d2xxxx", false}, {"c3piozzzz", false}}});
  CHECK(parse_if_match("*") == etag_list{true, {}});
  CHECK(parse_if_match(" * ") == etag_list{true, {}});
  CHECK(parse_if_match(",\"a\",, W/\"b\" ,") == etag_list{false, {{"a", false}, {"b", true}}});
}

TEST_CASE("RFC 9110 §13.1.2: if-none-match takes weak tags too") {
  CHECK(parse_if_none_match("W/\"xyzzy\"") == etag_list{false, {{"xyzzy", true}}});
  CHECK(parse_if_none_match("W/\"xyzzy\", W/\"r2d2xxxx\", W/\"c3piozzzz\"") ==
        etag_list{false, {{"xyzzy", true}, {"r2d2xxxx", true}, {"c3piozzzz", true}}});
  CHECK(parse_if_none_match("*") == etag_list{true, {}});
  for (std::string_view bad : {"", " ", ",", "*, \"a\"", "\"a\", *", "**", "\"a\" \"b\"", "a",
                               "\"a\";q=1", "W/\"a", "\"a\",W/"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_if_none_match(bad).has_value());
    CHECK_FALSE(parse_if_match(bad).has_value());
  }
}

TEST_CASE("RFC 9110 §8.8.3.2: strong and weak comparison table") {
  const entity_tag w1{"1", true}, w2{"2", true}, s1{"1", false};
  // ETag 1 | ETag 2 | strong | weak
  CHECK_FALSE(etag_strong_match(w1, w1));
  CHECK(etag_weak_match(w1, w1));
  CHECK_FALSE(etag_strong_match(w1, w2));
  CHECK_FALSE(etag_weak_match(w1, w2));
  CHECK_FALSE(etag_strong_match(w1, s1));
  CHECK(etag_weak_match(w1, s1));
  CHECK(etag_strong_match(s1, s1));
  CHECK(etag_weak_match(s1, s1));
  CHECK_FALSE(etag_strong_match(s1, entity_tag{"2", false}));
}

TEST_CASE("RFC 9110 §8.8.3: to_string writes the field form") {
  CHECK(to_string(entity_tag{"xyzzy", false}) == "\"xyzzy\"");
  CHECK(to_string(entity_tag{"xyzzy", true}) == "W/\"xyzzy\"");
  CHECK(to_string(entity_tag{"", false}) == "\"\"");
}

TEST_CASE("RFC 9110 §8.8.3: etag fuzz never throws and tags print back") {
  rodeo::test::fuzzer fuzz{"W/\"ab*, \t\\", {"W/\"xyzzy\", \"r2d2\"", "*", "\"\""}};
  for (int i = 0; i < rodeo::test::fuzz_iterations; ++i) {
    const auto in = fuzz.next();
    CAPTURE(in);
    std::optional<entity_tag> tag;
    REQUIRE_NOTHROW(tag = parse_etag(in));
    if (tag) REQUIRE(parse_etag(to_string(*tag)) == tag);
    std::optional<etag_list> list;
    REQUIRE_NOTHROW(list = parse_if_none_match(in));
    if (list) {
      REQUIRE(list->any == list->tags.empty());
      for (const auto& t : list->tags) REQUIRE(parse_etag(to_string(t)) == t);
    }
  }
}
