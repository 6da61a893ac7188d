#include "rodeo/mw/static/precompressed.hpp"

#include <doctest/doctest.h>

using namespace rodeo::mw::static_files;

TEST_CASE("precompressed weighs codings as Accept-Encoding says (RFC 9110 §12.5.3)") {
  CHECK(coding_weight("gzip, deflate, br", "br") == 1000);
  CHECK(coding_weight("gzip, deflate, br", "gzip") == 1000);
  CHECK(coding_weight("gzip;q=0.5, br;q=0.8", "gzip") == 500);
  CHECK(coding_weight("gzip;q=0.5, br;q=0.8", "br") == 800);
  CHECK(coding_weight("gzip ; q=0.001", "gzip") == 1);
  CHECK(coding_weight("gzip;Q=1.000", "gzip") == 1000);
  CHECK(coding_weight("*;q=0.3", "br") == 300);
  CHECK(coding_weight("br;q=0, *", "br") == 0);
  CHECK(coding_weight("br;q=0.5, *;q=0.9", "gzip") == 900);
  CHECK(coding_weight("identity", "gzip") == 0);
  CHECK(coding_weight("", "gzip") == 0);
  CHECK(coding_weight("x-gzip", "gzip") == 1000);
  CHECK(coding_weight("GZIP", "gzip") == 1000);
  CHECK(coding_weight("x-gzip;q=0.4, gzip;q=0.9", "gzip") == 900);  // the better spelling
  // A malformed value accepts nothing.
  CHECK(coding_weight("gzip;q=1.5", "gzip") == 0);
  CHECK(coding_weight("gzip;q=0.1234", "gzip") == 0);
  CHECK(coding_weight("gzip;q=abc, br", "br") == 0);
}

TEST_CASE("precompressed chooses the most wanted variant on disk") {
  const std::vector<std::string_view> both{"br", "gzip"}, gz{"gzip"}, none{};
  CHECK(choose_coding(std::nullopt, both).empty());  // no header: identity
  CHECK(choose_coding("gzip, deflate, br", both) == "br");
  CHECK(choose_coding("gzip, br;q=0.5", both) == "gzip");
  CHECK(choose_coding("*", both) == "br");
  CHECK(choose_coding("br", gz).empty());
  CHECK(choose_coding("gzip;q=0", gz).empty());
  CHECK(choose_coding("gzip", gz) == "gzip");
  CHECK(choose_coding("gzip, br", none).empty());
  CHECK(choose_coding("", both).empty());
  CHECK(choose_coding("br;q=2", both).empty());
}
