#include "rodeo/mw/static/file_meta.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include "static/temp_dir.hpp"

using namespace rodeo::mw::static_files;

TEST_CASE("file_meta strong ETag is hex size and hex mtime in ns") {
  file_meta m{file_kind::regular, 10000, 784111777'000'000'000};
  CHECK(strong_etag(m) == "\"2710-ae1b981bc490a00\"");
  CHECK(strong_etag(m, "br") == "\"2710-ae1b981bc490a00-br\"");
  CHECK(strong_etag(m, "gzip") == "\"2710-ae1b981bc490a00-gzip\"");
  CHECK(strong_etag(file_meta{file_kind::regular, 0, 1}) == "\"0-1\"");
  // One nanosecond later is another representation.
  m.mtime_ns += 1;
  CHECK(strong_etag(m) == "\"2710-ae1b981bc490a01\"");
}

TEST_CASE("file_meta Last-Modified is the mtime second, never after now (RFC 9110 §8.8.2.1)") {
  const file_meta m{file_kind::regular, 5, 784111777'999'999'999};
  auto v = make_validators(m, 2'000'000'000);
  CHECK(v.last_modified == 784111777);
  CHECK(v.etag == strong_etag(m));
  CHECK(make_validators(m, 784111000).last_modified == 784111000);
  CHECK(make_validators(file_meta{file_kind::regular, 0, -1}, 10).last_modified == -1);
  CHECK(make_validators(m, 2'000'000'000, "br").etag == strong_etag(m, "br"));
}

TEST_CASE("file_meta stats files, directories and missing paths") {
  rodeo::test::temp_dir dir;
  dir.write("a.txt", "hello");
  dir.mkdir("sub");
  auto f = stat_path(dir.str("a.txt"));
  REQUIRE(f);
  CHECK(f->kind == file_kind::regular);
  CHECK(f->size == 5);
  CHECK(f->mtime_ns > 0);
  auto d = stat_path(dir.str("sub"));
  REQUIRE(d);
  CHECK(d->kind == file_kind::directory);
  CHECK_FALSE(stat_path(dir.str("missing")).has_value());

  const int fd = ::open(dir.str("a.txt").c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  auto viafd = stat_fd(fd);
  ::close(fd);
  REQUIRE(viafd);
  CHECK(viafd->size == 5);
  CHECK(viafd->mtime_ns == f->mtime_ns);
}
