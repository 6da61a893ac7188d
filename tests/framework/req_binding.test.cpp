// req.binding<T>: a binding read as a type it does not hold is the handler's mistake, told
// as a usage_error naming the binding, its text and the type in words.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "framework/req_fixture.hpp"
#include "rodeo/internal/actor/req_access.hpp"
#include "rodeo/req.hpp"

using rodeo::test::req_fixture;

namespace {

void route(rodeo::req& r, rodeo::bindings b) {
  rodeo::req_access::set_route(r, std::move(b), {}, {});
}

}  // namespace

TEST_CASE("req binding<int64_t> of a non-numeric binding is a usage_error naming it") {
  req_fixture f{"/things/abc"};
  route(*f.req, {{"what", rodeo::binding{"abc"}}});
  CHECK_THROWS_WITH_AS(f.req->binding<std::int64_t>("what"),
                       "binding 'what' = 'abc' is not a 64-bit integer", rodeo::usage_error);
}

TEST_CASE("req binding<int64_t> of a number out of range is a usage_error naming it") {
  req_fixture f{"/things/99999999999999999999"};
  route(*f.req, {{"n", rodeo::binding{"99999999999999999999"}}});
  CHECK_THROWS_WITH_AS(f.req->binding<std::int64_t>("n"),
                       "binding 'n' = '99999999999999999999' is out of range for a 64-bit integer",
                       rodeo::usage_error);
}

TEST_CASE("req binding<T> reads a number without an int constraint, and typed values") {
  req_fixture f{"/things/42"};
  route(*f.req, {{"id", rodeo::binding{"42"}}, {"n", rodeo::binding{"7", std::int64_t{7}}}});
  CHECK(f.req->binding<std::int64_t>("id") == 42);
  CHECK(f.req->binding<std::int64_t>("n") == 7);
  CHECK(f.req->binding<std::string>("n") == "7");
  CHECK_THROWS_WITH_AS(f.req->binding<double>("n"),
                       "binding 'n' = '7' holds a 64-bit integer, not a double: read it with the "
                       "type its constraint produces (int gives std::int64_t)",
                       rodeo::usage_error);
}
