#include "rodeo/mw/static/file_cache.hpp"

#include <doctest/doctest.h>

#include <thread>

#include "rodeo/mw/static/static_h.hpp"
#include "temp_dir.hpp"

using namespace rodeo::mw::static_files;
using namespace std::chrono_literals;

namespace {

located file_at(const rodeo::test::temp_dir& dir, const char* name) {
  located l;
  l.kind = located_kind::file;
  l.path = dir.str(name);
  l.tokens = {name};
  return l;
}

}  // namespace

TEST_CASE("file_cache holds a small file and its variants until the ttl passes") {
  rodeo::test::temp_dir dir;
  dir.write("a.css", "body{}");
  dir.write("a.css.gz", "GZ");
  file_cache cache{200ms};
  CHECK(cache.find("a") == nullptr);
  auto entry = cache.load("a", file_at(dir, "a.css"), {{"gzip", dir.str("a.css.gz")}});
  REQUIRE(entry);
  REQUIRE(entry->representations.size() == 2);
  CHECK(entry->representations[0].coding.empty());
  CHECK(entry->representations[0].bytes == "body{}");
  CHECK(entry->representations[0].meta.size == 6);
  CHECK(entry->representations[1].coding == "gzip");
  CHECK(entry->representations[1].bytes == "GZ");

  // A change on disk is not seen within the ttl (that is the point of the cache)...
  dir.write("a.css", "body{color:red}");
  auto again = cache.find("a");
  REQUIRE(again);
  CHECK(again->representations[0].bytes == "body{}");
  // ...and the entry is gone once it expired.
  std::this_thread::sleep_for(250ms);
  CHECK(cache.find("a") == nullptr);
}

TEST_CASE("file_cache does not hold files above the chunk size or missing ones") {
  rodeo::test::temp_dir dir;
  dir.write("big.bin", std::string(static_chunk_size + 1, 'x'));
  file_cache cache{1s};
  CHECK(cache.load("big", file_at(dir, "big.bin"), {}) == nullptr);
  CHECK(cache.find("big") == nullptr);
  CHECK(cache.load("gone", file_at(dir, "gone.txt"), {}) == nullptr);
  dir.write("ok.txt", "ok");
  // A variant that cannot be read means no entry at all: never a partial one.
  CHECK(cache.load("ok", file_at(dir, "ok.txt"), {{"br", dir.str("ok.txt.br")}}) == nullptr);
}
