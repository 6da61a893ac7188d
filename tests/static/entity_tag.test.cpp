#include "rodeo/mw/static/entity_tag.hpp"

#include <doctest/doctest.h>

using namespace rodeo::mw::static_files;

TEST_CASE("entity_tag parses strong and weak tags (RFC 9110 §8.8.3)") {
  auto strong = parse_entity_tag("\"xyzzy\"");
  REQUIRE(strong);
  CHECK_FALSE(strong->weak);
  CHECK(strong->opaque == "xyzzy");
  auto weak = parse_entity_tag("W/\"xyzzy\"");
  REQUIRE(weak);
  CHECK(weak->weak);
  CHECK(weak->opaque == "xyzzy");
  auto empty = parse_entity_tag("\"\"");
  REQUIRE(empty);
  CHECK(empty->opaque.empty());
  for (const char* bad : {"xyzzy", "\"xyzzy", "\"a\"b", "\"a b\"", "w/\"a\"", "W/a", ""}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_entity_tag(bad).has_value());
  }
}

TEST_CASE("entity_tag parses If-Match and If-None-Match lists (RFC 9110 §13.1.1)") {
  auto any = parse_etag_condition(" * ");
  REQUIRE(any);
  CHECK(any->any);
  auto list = parse_etag_condition(", \"a\" ,, W/\"b\",");
  REQUIRE(list);
  CHECK_FALSE(list->any);
  REQUIRE(list->tags.size() == 2);
  CHECK(list->tags[0].opaque == "a");
  CHECK(list->tags[1].weak);
  CHECK(list->tags[1].opaque == "b");
  for (const char* bad : {"", " , ", "\"a\" \"b\"", "\"a\", b", "*, \"a\""}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_etag_condition(bad).has_value());
  }
}

TEST_CASE("entity_tag comparison follows the table of RFC 9110 §8.8.3.2") {
  auto t = [](const char* s) { return *parse_entity_tag(s); };
  CHECK_FALSE(strong_match(t("W/\"1\""), t("W/\"1\"")));
  CHECK(weak_match(t("W/\"1\""), t("W/\"1\"")));
  CHECK_FALSE(strong_match(t("W/\"1\""), t("W/\"2\"")));
  CHECK_FALSE(weak_match(t("W/\"1\""), t("W/\"2\"")));
  CHECK_FALSE(strong_match(t("W/\"1\""), t("\"1\"")));
  CHECK(weak_match(t("W/\"1\""), t("\"1\"")));
  CHECK(strong_match(t("\"1\""), t("\"1\"")));
  CHECK(weak_match(t("\"1\""), t("\"1\"")));
}
