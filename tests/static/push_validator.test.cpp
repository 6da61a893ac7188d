#include "rodeo/mw/static/push_validator.hpp"

#include <doctest/doctest.h>

#include "rodeo/mw/static/file_meta.hpp"
#include "static/temp_dir.hpp"

using namespace rodeo::mw::static_files;

TEST_CASE("push_validator: the ETag the same static_dir route would send for the asset") {
  rodeo::test::temp_dir d;
  d.write("index.html", "<p>");
  d.write("css/a.css", "a{}");
  d.write(".hidden.css", "x");
  const static_source dir{true, d.str(), "index.html", false, false};
  const auto etag = strong_etag(*stat_path(d.str("css/a.css")));
  // Mounted at /[...]: "/" has no path_info (or an empty token), "/index.html" one token.
  CHECK(push_validator(dir, "/", {}, "/css/a.css") == etag);
  CHECK(push_validator(dir, "/", {""}, "/css/a.css") == etag);
  CHECK(push_validator(dir, "/index.html", {"index.html"}, "/css/a.css") == etag);
  // Mounted at /site/[...].
  CHECK(push_validator(dir, "/site/index.html", {"index.html"}, "/site/css/a.css") == etag);
  CHECK(push_validator(dir, "/site/index.html", {"index.html"}, "/css/a.css").empty());
  // What the route would not serve has no validator.
  CHECK(push_validator(dir, "/", {}, "/missing.css").empty());
  CHECK(push_validator(dir, "/", {}, "/.hidden.css").empty());
  CHECK(push_validator(dir, "/", {}, "/../x.css").empty());
  CHECK(push_validator(dir, "/", {}, "/css/").empty());
  // A static_file route knows no layout.
  const static_source file{false, d.str("index.html"), "index.html", false, false};
  CHECK(push_validator(file, "/", {}, "/css/a.css").empty());
  // The file changes: so does its validator.
  d.write("css/a.css", "a{color:red}");
  CHECK(push_validator(dir, "/", {}, "/css/a.css") != etag);
}
