// Push ID allocation (RFC 9114 §4.6, §7.2.7).
#include "rodeo/internal/protocol/http3/push/push_ids.hpp"

#include <doctest/doctest.h>

using namespace rodeo::http3::push;

TEST_CASE("§4.6: no MAX_PUSH_ID from the client, no push") {
  push_ids ids;
  auto a = ids.next();
  CHECK_FALSE(a);
  CHECK(a.refused == push_id_refusal::no_push_id);
  CHECK(ids.used() == 0);
}

TEST_CASE("§7.2.7: push IDs go 0, 1, 2... and never above MAX_PUSH_ID") {
  push_ids ids;
  REQUIRE(ids.allow_up_to(2));
  for (std::uint64_t want = 0; want <= 2; ++want) {
    auto a = ids.next();
    REQUIRE(a);
    CHECK(a.id == want);
    CHECK(a.id <= *ids.max_push_id());
  }
  auto full = ids.next();
  CHECK(full.refused == push_id_refusal::push_ids_exhausted);
  CHECK(ids.next().refused == push_id_refusal::push_ids_exhausted);
  // More credit: allocation resumes where it stopped.
  REQUIRE(ids.allow_up_to(3));
  auto a = ids.next();
  REQUIRE(a);
  CHECK(a.id == 3);
  CHECK_FALSE(ids.next());
}

TEST_CASE("§7.2.7: a lower MAX_PUSH_ID is refused and changes nothing") {
  push_ids ids;
  REQUIRE(ids.allow_up_to(5));
  CHECK(ids.allow_up_to(5));
  CHECK_FALSE(ids.allow_up_to(4));
  CHECK(ids.max_push_id() == 5);
}

TEST_CASE("MAX_PUSH_ID 0 allows exactly one push") {
  push_ids ids;
  REQUIRE(ids.allow_up_to(0));
  auto a = ids.next();
  REQUIRE(a);
  CHECK(a.id == 0);
  CHECK(ids.next().refused == push_id_refusal::push_ids_exhausted);
}
