#include "page_assets.hpp"

#include <doctest/doctest.h>

using strings = std::vector<std::string>;

TEST_CASE("page_assets finds stylesheets, scripts and images in document order") {
  CHECK(demo::page_assets(R"(<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/style.css">
<script src="/app.js" defer></script>
</head><body><img src="/img1.png" alt="one" width="96"><p>text</p>
<img src='/img2.png'></body></html>)") ==
        strings{"/style.css", "/app.js", "/img1.png", "/img2.png"});
}

TEST_CASE("page_assets reads the bench fixture's shape of page") {
  // The fixture site's index.html (bench/fixtures/site) as the benchmarks serve it.
  const char* fixture =
      "<head>\n<meta charset=\"utf-8\">\n<title>Fixture site: HTTP/2 push benchmark</title>\n"
      "<link rel=\"stylesheet\" href=\"/style.css\">\n<script src=\"/app.js\" defer></script>\n"
      "</head>\n<body>\n<nav><a href=\"/\">Home</a> <a href=\"/hello\">Hello</a></nav>\n"
      "<img src=\"/img1.png\" alt=\"first image\" width=\"96\" height=\"104\">\n"
      "<img src=\"/img2.png\" alt=\"second image\" width=\"96\" height=\"104\">\n</body>";
  CHECK(demo::page_assets(fixture) == strings{"/style.css", "/app.js", "/img1.png", "/img2.png"});
}

TEST_CASE("page_assets takes same-origin absolute paths only") {
  CHECK(demo::page_assets(R"(<img src="https://cdn.example/x.png"><img src="//cdn.example/y.png">
<img src="rel.png"><img src="./dot.png"><img src=""><img><script src="/ok.js"></script>
<img src="data:image/png;base64,AAAA">)") == strings{"/ok.js"});
}

TEST_CASE("page_assets keeps the query, drops the fragment, skips duplicates") {
  CHECK(demo::page_assets(R"(<script src="/a.js?v=2#top"></script><img src="/i.png#x">
<img src="/i.png"><script src="/a.js?v=2"></script>)") == strings{"/a.js?v=2", "/i.png"});
}

TEST_CASE("page_assets needs rel stylesheet on a link") {
  CHECK(demo::page_assets(R"(<link rel="icon" href="/favicon.svg">
<link rel="preload" href="/font.woff2" as="font">
<link rel="alternate stylesheet" href="/alt.css">
<link href="/late.css" rel=STYLESHEET>)") == strings{"/alt.css", "/late.css"});
}

TEST_CASE("page_assets ignores case, unquoted values and whitespace around '='") {
  CHECK(demo::page_assets("<IMG SRC = /a.png><Script\tSrc=/b.js></Script>") ==
        strings{"/a.png", "/b.js"});
}

TEST_CASE("page_assets skips comments and the content of script and style elements") {
  CHECK(demo::page_assets(R"(<!-- <img src="/commented.png"> -->
<script>document.write('<img src="/written.png">')</script>
<style>/* <img src="/styled.png"> */</style><img src="/real.png">)") == strings{"/real.png"});
}

TEST_CASE("page_assets leaves out paths that cannot be pushed as they are") {
  CHECK(demo::page_assets("<img src=\"/a b.png\"><img src=\"/tab\t.png\"><img src=\"/ok.png\">") ==
        strings{"/ok.png"});
  CHECK(demo::page_assets("<img src=\" /trimmed.png \">") == strings{"/trimmed.png"});
}

TEST_CASE("page_assets survives truncated markup") {
  CHECK(demo::page_assets("<img src=\"/a.png") == strings{"/a.png"});
  CHECK(demo::page_assets("<!-- never closed <img src=\"/x.png\">").empty());
  CHECK(demo::page_assets("<script src=\"/s.js\">never closed") == strings{"/s.js"});
  CHECK(demo::page_assets("<").empty());
  CHECK(demo::page_assets("").empty());
}
