#include "rodeo/mw/static/conditional.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace rodeo::mw::static_files;

namespace {

const validators current{"\"abc\"", 784111777};
constexpr const char* same = "Sun, 06 Nov 1994 08:49:37 GMT";
constexpr const char* before = "Sun, 06 Nov 1994 08:49:36 GMT";
constexpr const char* after = "Sun, 06 Nov 1994 08:49:38 GMT";

struct row {
  const char* name;
  const char* method;
  rodeo::headers request;
  precondition expected;
};

}  // namespace

TEST_CASE("conditional evaluates in the order of RFC 9110 §13.2.2") {
  using p = precondition;
  const row table[] = {
      {"no condition", "GET", {}, p::proceed},
      // If-None-Match: weak comparison (§13.1.2)
      {"inm same tag", "GET", {{"if-none-match", "\"abc\""}}, p::not_modified},
      {"inm same tag head", "HEAD", {{"if-none-match", "\"abc\""}}, p::not_modified},
      {"inm same tag post", "POST", {{"if-none-match", "\"abc\""}}, p::failed},
      {"inm weak tag matches weakly", "GET", {{"if-none-match", "W/\"abc\""}}, p::not_modified},
      {"inm other tag", "GET", {{"if-none-match", "\"xyz\""}}, p::proceed},
      {"inm star", "GET", {{"if-none-match", "*"}}, p::not_modified},
      {"inm star post", "PUT", {{"if-none-match", "*"}}, p::failed},
      {"inm list", "GET", {{"if-none-match", "\"x\", W/\"y\", \"abc\""}}, p::not_modified},
      {"inm two lines",
       "GET",
       {{"if-none-match", "\"x\""}, {"if-none-match", "\"abc\""}},
       p::not_modified},
      {"inm malformed ignored", "GET", {{"if-none-match", "abc"}}, p::proceed},
      // If-Match: strong comparison (§13.1.1)
      {"im same tag", "GET", {{"if-match", "\"abc\""}}, p::proceed},
      {"im weak tag never matches", "GET", {{"if-match", "W/\"abc\""}}, p::failed},
      {"im other tag", "GET", {{"if-match", "\"xyz\""}}, p::failed},
      {"im star", "GET", {{"if-match", "*"}}, p::proceed},
      {"im list", "GET", {{"if-match", "\"x\", \"abc\""}}, p::proceed},
      {"im malformed fails", "GET", {{"if-match", "abc"}}, p::failed},
      // If-Unmodified-Since (§13.1.4)
      {"ius before", "GET", {{"if-unmodified-since", before}}, p::failed},
      {"ius same", "GET", {{"if-unmodified-since", same}}, p::proceed},
      {"ius after", "GET", {{"if-unmodified-since", after}}, p::proceed},
      {"ius invalid ignored", "GET", {{"if-unmodified-since", "yesterday"}}, p::proceed},
      {"ius ignored when if-match",
       "GET",
       {{"if-match", "\"abc\""}, {"if-unmodified-since", before}},
       p::proceed},
      // If-Modified-Since (§13.1.3)
      {"ims same", "GET", {{"if-modified-since", same}}, p::not_modified},
      {"ims after", "HEAD", {{"if-modified-since", after}}, p::not_modified},
      {"ims before", "GET", {{"if-modified-since", before}}, p::proceed},
      {"ims invalid ignored", "GET", {{"if-modified-since", "1994-11-06"}}, p::proceed},
      {"ims only for get and head", "POST", {{"if-modified-since", same}}, p::proceed},
      {"ims ignored when if-none-match",
       "GET",
       {{"if-none-match", "\"xyz\""}, {"if-modified-since", same}},
       p::proceed},
      {"ims obsolete date form",
       "GET",
       {{"if-modified-since", "Sun Nov  6 08:49:37 1994"}},
       p::not_modified},
      // Order between the two groups
      {"im fails before inm",
       "GET",
       {{"if-match", "\"xyz\""}, {"if-none-match", "\"abc\""}},
       p::failed},
      {"im passes then inm",
       "GET",
       {{"if-match", "\"abc\""}, {"if-none-match", "\"abc\""}},
       p::not_modified},
      {"ius fails before ims",
       "GET",
       {{"if-unmodified-since", before}, {"if-modified-since", same}},
       p::failed},
  };
  for (const auto& r : table) {
    CAPTURE(r.name);
    CHECK(evaluate_preconditions(r.method, r.request, current) == r.expected);
  }
}
