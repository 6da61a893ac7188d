#include "rodeo/mw/static/locate.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "static/temp_dir.hpp"

using namespace rodeo::mw::static_files;
using rodeo::path_tokens;

namespace {

struct site {
  rodeo::test::temp_dir base;
  std::string root;
  site() {
    base.write("root/index.html", "<h1>home</h1>");
    base.write("root/index.html.gz", "gz");
    base.write("root/a.txt", "aaa");
    base.write("root/a.txt.br", "br");
    base.write("root/a.txt.gz", "gz");
    base.write("root/b.txt", "bbb");
    base.write("root/sub/index.html", "<h1>sub</h1>");
    base.mkdir("root/docs");
    base.mkdir("root/d.txt.br");  // a directory is no variant
    base.write("root/d.txt", "d");
    base.write("outside.br", "leak");
    base.symlink(base.str("outside.br"), "root/b.txt.br");  // a variant leading out
    ::mkfifo(base.str("root/pipe").c_str(), 0600);
    root = base.str("root");
  }
  static_source dir(bool listing = false) const { return {true, root, "index.html", listing}; }
};

}  // namespace

TEST_CASE("locate finds files under the root") {
  site s;
  auto l = locate(s.dir(), {"a.txt"}, false);
  CHECK(l.kind == located_kind::file);
  CHECK(l.path == s.root + "/a.txt");
  CHECK(l.tokens == path_tokens{"a.txt"});
  CHECK(locate(s.dir(), {"nope.txt"}, false).kind == located_kind::not_found);
  CHECK(locate(s.dir(), {"pipe"}, false).kind == located_kind::not_found);
  CHECK(locate(s.dir(), {"..", "outside.br"}, false).kind == located_kind::not_found);
  CHECK(locate(s.dir(), {"", "a.txt"}, false).kind == located_kind::not_found);
  CHECK(locate(s.dir(), {"a\\b"}, false).kind == located_kind::bad_request);
}

TEST_CASE("locate treats a trailing slash as naming a directory") {
  site s;
  CHECK(locate(s.dir(), {"a.txt"}, true).kind == located_kind::not_found);
  CHECK(locate(s.dir(), {"a.txt", ""}, false).kind == located_kind::not_found);
  CHECK(locate(s.dir(), {"sub"}, false).kind == located_kind::redirect);
  CHECK(locate(s.dir(), {}, false).kind == located_kind::redirect);

  auto home = locate(s.dir(), {}, true);
  CHECK(home.kind == located_kind::file);
  CHECK(home.path == s.root + "/index.html");
  CHECK(home.tokens == path_tokens{"index.html"});
  auto sub = locate(s.dir(), {"sub", ""}, false);
  CHECK(sub.kind == located_kind::file);
  CHECK(sub.path == s.root + "/sub/index.html");
  CHECK(locate(s.dir(), {"sub"}, true).path == s.root + "/sub/index.html");
}

TEST_CASE("locate lists a directory without index only when asked") {
  site s;
  CHECK(locate(s.dir(false), {"docs"}, true).kind == located_kind::not_found);
  auto l = locate(s.dir(true), {"docs"}, true);
  CHECK(l.kind == located_kind::listing);
  CHECK(l.path == s.root + "/docs");
  static_source no_index = s.dir(true);
  no_index.index.clear();
  CHECK(locate(no_index, {}, true).kind == located_kind::listing);
}

TEST_CASE("locate serves one file for static_file whatever the path_info") {
  site s;
  const static_source file{false, s.root + "/a.txt", "index.html", false};
  auto l = locate(file, {"ignored", ".."}, false);
  CHECK(l.kind == located_kind::file);
  CHECK(l.path == s.root + "/a.txt");
  CHECK(locate({false, s.root + "/none", "", false}, {}, false).kind == located_kind::not_found);
  CHECK(locate({false, s.root + "/sub", "", false}, {}, false).kind == located_kind::not_found);

  const auto v = find_variants(file, l);
  REQUIRE(v.size() == 2);
  CHECK(v[0].coding == "br");
  CHECK(v[0].path == s.root + "/a.txt.br");
}

TEST_CASE("locate finds precompressed variants that stay under the root") {
  site s;
  auto v = find_variants(s.dir(), locate(s.dir(), {"a.txt"}, false));
  REQUIRE(v.size() == 2);
  CHECK(v[0].coding == "br");
  CHECK(v[0].path == s.root + "/a.txt.br");
  CHECK(v[1].coding == "gzip");
  CHECK(v[1].path == s.root + "/a.txt.gz");

  auto index = find_variants(s.dir(), locate(s.dir(), {}, true));
  REQUIRE(index.size() == 1);
  CHECK(index[0].coding == "gzip");
  CHECK(index[0].path == s.root + "/index.html.gz");

  CHECK(find_variants(s.dir(), locate(s.dir(), {"b.txt"}, false)).empty());  // symlink out
  CHECK(find_variants(s.dir(), locate(s.dir(), {"d.txt"}, false)).empty());  // a directory
  CHECK(find_variants(s.dir(), locate(s.dir(), {"sub"}, false)).empty());    // not a file
}
