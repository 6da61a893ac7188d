#include "push_plan.hpp"

#include <doctest/doctest.h>

#include "static/temp_dir.hpp"

using strings = std::vector<std::string>;

TEST_CASE("push_plan from an index page pushes its references for / and /index.html") {
  const auto plan = demo::push_plan::from_map(
      demo::manifest_from_index(R"(<link rel="stylesheet" href="/s.css"><img src="/i.png">)"),
      "references of index.html");
  CHECK(plan.assets_for("/") == strings{"/s.css", "/i.png"});
  CHECK(plan.assets_for("/index.html") == strings{"/s.css", "/i.png"});
  CHECK(plan.assets_for("/other.html").empty());
  CHECK(plan.source() == "references of index.html");
}

TEST_CASE("push_plan merges a directory page with its index without duplicates") {
  rodeo::mw::static_files::push_map map;
  map["/docs/"] = {"/a.css", "/b.js"};
  map["/docs/index.html"] = {"/b.js", "/c.png"};
  const auto plan = demo::push_plan::from_map(map, "test");
  CHECK(plan.assets_for("/docs/") == strings{"/a.css", "/b.js", "/c.png"});
  CHECK(plan.assets_for("/docs/index.html") == strings{"/b.js", "/c.png"});
  CHECK(plan.assets_for("/docs").empty());
}

TEST_CASE("push_plan from a manifest file follows the file") {
  rodeo::test::temp_dir dir;
  dir.write("push.map", "/: /one.css\n");
  const auto plan = demo::push_plan::from_file(dir.str("push.map"));
  CHECK(plan.assets_for("/") == strings{"/one.css"});
  CHECK(plan.source() == dir.str("push.map"));
  CHECK_THROWS_AS(
      demo::push_plan::from_file((dir.write("bad.map", "nocolon\n"), dir.str("bad.map"))),
      std::invalid_argument);
}
