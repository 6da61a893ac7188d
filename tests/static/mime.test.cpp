#include "rodeo/mw/static/mime.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace rodeo::mw::static_files;

TEST_CASE("mime gives the common web types from the built-in table") {
  const auto t = mime_table::builtin();
  const std::pair<const char*, const char*> table[] = {
      {"/index.html", "text/html; charset=utf-8"},
      {"style.css", "text/css; charset=utf-8"},
      {"app.js", "text/javascript; charset=utf-8"},
      {"mod.mjs", "text/javascript; charset=utf-8"},
      {"data.json", "application/json; charset=utf-8"},
      {"app.js.map", "application/json; charset=utf-8"},
      {"logo.svg", "image/svg+xml; charset=utf-8"},
      {"notes.txt", "text/plain; charset=utf-8"},
      {"t.csv", "text/csv; charset=utf-8"},
      {"README.md", "text/markdown; charset=utf-8"},
      {"a.png", "image/png"},
      {"a.jpg", "image/jpeg"},
      {"a.jpeg", "image/jpeg"},
      {"a.gif", "image/gif"},
      {"a.webp", "image/webp"},
      {"a.avif", "image/avif"},
      {"favicon.ico", "image/x-icon"},
      {"f.woff", "font/woff"},
      {"f.woff2", "font/woff2"},
      {"f.ttf", "font/ttf"},
      {"f.otf", "font/otf"},
      {"feed.xml", "application/xml"},
      {"doc.pdf", "application/pdf"},
      {"m.wasm", "application/wasm"},
      {"v.mp4", "video/mp4"},
      {"v.webm", "video/webm"},
      {"s.mp3", "audio/mpeg"},
      {"s.ogg", "audio/ogg"},
      {"s.wav", "audio/wav"},
      {"a.zip", "application/zip"},
      {"a.tar.gz", "application/gzip"},
      {"a.br", "application/x-brotli"},
  };
  for (const auto& [path, type] : table) {
    CAPTURE(path);
    CHECK(t.content_type(path) == type);
  }
}

TEST_CASE("mime matches extensions case-insensitively and falls back to octet-stream") {
  const auto t = mime_table::builtin();
  CHECK(t.content_type("/img/LOGO.PNG") == "image/png");
  CHECK(t.content_type("Index.HTML") == "text/html; charset=utf-8");
  CHECK(t.content_type("README") == "application/octet-stream");
  CHECK(t.content_type(".profile") == "application/octet-stream");
  CHECK(t.content_type("dir.d/file") == "application/octet-stream");
  CHECK(t.content_type("file.") == "application/octet-stream");
  CHECK(t.content_type("x.no-such-extension") == "application/octet-stream");
  CHECK(t.find("PNG") == "image/png");
  CHECK(t.find("nope").empty());
}

TEST_CASE("mime adds charset to text types only") {
  CHECK(wants_charset("text/plain"));
  CHECK(wants_charset("text/x-whatever"));
  CHECK(wants_charset("application/javascript"));
  CHECK(wants_charset("application/json"));
  CHECK(wants_charset("image/svg+xml"));
  CHECK_FALSE(wants_charset("image/png"));
  CHECK_FALSE(wants_charset("application/octet-stream"));
  CHECK_FALSE(wants_charset("application/xml"));
  CHECK_FALSE(wants_charset("font/woff2"));
}

TEST_CASE("mime reads mime.types for unknown extensions and the built-in table wins") {
  auto t = mime_table::builtin();
  const auto before = t.size();
  t.add_mime_types(
      "# a comment line\n"
      "application/x-foo\tfoo FOO2   # trailing comment\n"
      "text/x-bar bar\n"
      "application/javascript js\n"
      "text/plain html\n"
      "not-a-type baz\n"
      "\n"
      "image/x-lonely\n");
  CHECK(t.size() == before + 3);
  CHECK(t.find("foo") == "application/x-foo");
  CHECK(t.find("foo2") == "application/x-foo");
  CHECK(t.find("bar") == "text/x-bar; charset=utf-8");
  CHECK(t.find("baz").empty());
  CHECK(t.find("js") == "text/javascript; charset=utf-8");
  CHECK(t.find("html") == "text/html; charset=utf-8");
}

TEST_CASE("mime default table keeps the built-in types whatever the system file says") {
  CHECK(content_type_for("app.js") == "text/javascript; charset=utf-8");
  CHECK(content_type_for("index.html") == "text/html; charset=utf-8");
  CHECK(content_type_for("x.no-such-extension") == "application/octet-stream");
  CHECK(&default_mime_table() == &default_mime_table());
  CHECK(default_mime_table().size() >= mime_table::builtin().size());
}
