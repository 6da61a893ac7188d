#include "rodeo/rest/conditional.hpp"

#include <doctest/doctest.h>

using namespace rodeo::rest;
namespace http = rodeo::http;

namespace {
const validators v1{true, http::entity_tag{"v1", false}, 1000};
http::etag_list tags(const char* value) { return *http::parse_if_match(value); }
}  // namespace

// RFC 9110 §13.2.2's steps, one by one, for GET (true) and a change (false).
TEST_CASE("conditional: no condition proceeds") {
  CHECK(evaluate_preconditions({}, v1, true) == precondition_outcome::proceed);
  CHECK(evaluate_preconditions({}, validators{false, {}, {}}, false) ==
        precondition_outcome::proceed);
}

TEST_CASE("conditional: step 1, If-Match, strong comparison") {
  CHECK(evaluate_preconditions({tags("\"v1\"")}, v1, false) == precondition_outcome::proceed);
  CHECK(evaluate_preconditions({tags("\"v0\", \"v1\"")}, v1, false) ==
        precondition_outcome::proceed);
  CHECK(evaluate_preconditions({tags("\"v0\"")}, v1, false) == precondition_outcome::failed);
  CHECK(evaluate_preconditions({tags("W/\"v1\"")}, v1, false) == precondition_outcome::failed);
  CHECK(evaluate_preconditions({tags("*")}, v1, false) == precondition_outcome::proceed);
  CHECK(evaluate_preconditions({tags("*")}, validators{false, {}, {}}, false) ==
        precondition_outcome::failed);
  CHECK(evaluate_preconditions({tags("\"v1\"")}, validators{true, {}, {}}, false) ==
        precondition_outcome::failed);
}

TEST_CASE("conditional: step 2, If-Unmodified-Since only without If-Match") {
  CHECK(evaluate_preconditions({{}, 999}, v1, false) == precondition_outcome::failed);
  CHECK(evaluate_preconditions({{}, 1000}, v1, false) == precondition_outcome::proceed);
  CHECK(evaluate_preconditions({tags("\"v1\""), 999}, v1, false) == precondition_outcome::proceed);
  // No Last-Modified: the date cannot be compared and is ignored.
  CHECK(evaluate_preconditions({{}, 999}, validators{true, {}, {}}, false) ==
        precondition_outcome::proceed);
}

TEST_CASE("conditional: step 3, If-None-Match, weak comparison") {
  preconditions p;
  p.if_none_match = tags("W/\"v1\"");
  CHECK(evaluate_preconditions(p, v1, true) == precondition_outcome::not_modified);
  CHECK(evaluate_preconditions(p, v1, false) == precondition_outcome::failed);
  p.if_none_match = tags("\"v2\"");
  CHECK(evaluate_preconditions(p, v1, true) == precondition_outcome::proceed);
  p.if_none_match = tags("*");
  CHECK(evaluate_preconditions(p, v1, false) == precondition_outcome::failed);
  CHECK(evaluate_preconditions(p, validators{false, {}, {}}, false) ==
        precondition_outcome::proceed);
}

TEST_CASE("conditional: step 4, If-Modified-Since for GET/HEAD without If-None-Match") {
  preconditions p;
  p.if_modified_since = 1000;
  CHECK(evaluate_preconditions(p, v1, true) == precondition_outcome::not_modified);
  CHECK(evaluate_preconditions(p, v1, false) == precondition_outcome::proceed);
  p.if_modified_since = 999;
  CHECK(evaluate_preconditions(p, v1, true) == precondition_outcome::proceed);
  p.if_modified_since = 1000;
  p.if_none_match = tags("\"v2\"");
  CHECK(evaluate_preconditions(p, v1, true) == precondition_outcome::proceed);
}
