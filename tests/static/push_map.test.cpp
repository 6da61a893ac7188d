#include "rodeo/mw/static/push_map.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <thread>

#include "static/temp_dir.hpp"

using namespace rodeo::mw::static_files;
using strings = std::vector<std::string>;

TEST_CASE("push_map parses pages, assets, comments and blank lines") {
  const auto map = parse_push_map(
      "# the home page\n"
      "\n"
      "/index.html: /style.css /app.js\t/img1.png   # trailing comment\r\n"
      "   /docs/:/ignored-no-space: /docs.css /docs.js?v=3\n"
      "/about.html:\n"
      "/index.html: /late.js\n"
      "   # indented comment\n");
  REQUIRE(map.size() == 3);
  CHECK(map.at("/index.html") == strings{"/style.css", "/app.js", "/img1.png", "/late.js"});
  // A colon inside a path is part of it: the separator is a colon before whitespace.
  CHECK(map.at("/docs/:/ignored-no-space") == strings{"/docs.css", "/docs.js?v=3"});
  CHECK(map.at("/about.html").empty());
  CHECK(parse_push_map("").empty());
  CHECK(parse_push_map("# only a comment\n\n").empty());
}

TEST_CASE("push_map rejects bad lines with the file and line number") {
  const std::string expected = "; expected '<page>: <asset> <asset>...'";
  CHECK_THROWS_WITH_AS(parse_push_map("# ok\n\n/index.html /style.css\n", "site/push.map"),
                       ("site/push.map line 3: no ':' after the page" + expected).c_str(),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      parse_push_map("index.html: /style.css"),
      ("push.map line 1: page 'index.html' does not start with '/'" + expected).c_str(),
      std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      parse_push_map("/index.html: style.css"),
      ("push.map line 1: asset 'style.css' does not start with '/'" + expected).c_str(),
      std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      parse_push_map("/index.html: //cdn.example/app.js"),
      ("push.map line 1: asset '//cdn.example/app.js' starts with '//'" + expected).c_str(),
      std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_push_map("\n: /style.css"),
                       ("push.map line 2: no page before ':'" + expected).c_str(),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      parse_push_map("/my page.html: /a.css"),
      ("push.map line 1: the page '/my page.html' contains whitespace" + expected).c_str(),
      std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      parse_push_map("/a.html: /b\x01.css"),
      ("push.map line 1: asset a control character in '/b\x01.css'" + expected).c_str(),
      std::invalid_argument);
}

TEST_CASE("push_map gives pushed requests a browser's accept header") {
  CHECK(push_accept_for("/style.css") == "text/css,*/*;q=0.1");
  CHECK(push_accept_for("/STYLE.CSS?v=2") == "text/css,*/*;q=0.1");
  for (const char* img :
       {"/a.png", "/a.jpg", "/a.jpeg", "/a.gif", "/a.webp", "/a.avif", "/a.svg", "/favicon.ico"}) {
    CAPTURE(img);
    CHECK(push_accept_for(img) == "image/avif,image/webp,image/apng,image/*,*/*;q=0.8");
  }
  CHECK(push_accept_for("/app.js") == "*/*");
  CHECK(push_accept_for("/mod.mjs") == "*/*");
  CHECK(push_accept_for("/font.woff2") == "*/*");
  CHECK(push_accept_for("/v1.2/data") == "*/*");
  CHECK(push_accept_for("/other.html") ==
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
}

TEST_CASE("push_map manifest reads its file, reloads on change and keeps the last good map") {
  rodeo::test::temp_dir dir;
  const std::string path = dir.str("push.map");

  push_manifest missing(path);
  CHECK(missing.assets_for("/index.html").empty());

  dir.write("push.map", "/index.html: /a.css\n");
  CHECK(missing.assets_for("/index.html") == strings{"/a.css"});  // appeared: read

  push_manifest m(path);
  CHECK(m.path() == path);
  CHECK(m.assets_for("/index.html") == strings{"/a.css"});
  CHECK(m.assets_for("/other.html").empty());

  dir.write("push.map", "/index.html: /a.css /b.js\n");  // a different size: re-read
  CHECK(m.assets_for("/index.html") == strings{"/a.css", "/b.js"});

  dir.write("push.map", "/index.html /broken\n");  // a bad version keeps the previous map
  CHECK(m.assets_for("/index.html") == strings{"/a.css", "/b.js"});

  CHECK_THROWS_AS(push_manifest{path}, std::invalid_argument);  // but fails a new route

  std::filesystem::remove(path);
  CHECK(m.assets_for("/index.html").empty());
}
