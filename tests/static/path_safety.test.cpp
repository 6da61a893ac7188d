#include "rodeo/mw/static/path_safety.hpp"

#include <doctest/doctest.h>

#include <string>

#include "static/temp_dir.hpp"

using namespace rodeo::mw::static_files;
using rodeo::path_tokens;

TEST_CASE("path_safety rejects hostile tokens") {
  struct row {
    path_tokens tokens;
    path_status expected;
  };
  const row table[] = {
      {{}, path_status::ok},
      {{"a.txt"}, path_status::ok},
      {{"sub", "b.txt"}, path_status::ok},
      {{"..."}, path_status::ok},        // a legal name, not a dot segment
      {{"%2e%2e"}, path_status::ok},     // never decoded twice: a literal name
      {{".."}, path_status::not_found},  // what the router makes of %2e%2e
      {{"sub", "..", ".."}, path_status::not_found},
      {{"."}, path_status::not_found},
      {{""}, path_status::not_found},
      {{"sub", "", "b.txt"}, path_status::not_found},
      {{"/etc/passwd"}, path_status::not_found},  // absolute
      {{"a/../.."}, path_status::not_found},      // a decoded %2F
      {{"..\\secret"}, path_status::bad_request},
      {{"a\\b"}, path_status::bad_request},
      {{std::string("a\0b", 3)}, path_status::bad_request},
      {{"..", std::string("\0", 1)}, path_status::bad_request},
  };
  for (const auto& r : table) {
    std::string shown;
    for (const auto& t : r.tokens) shown += "[" + t + "]";
    CAPTURE(shown);
    CHECK(check_tokens(r.tokens) == r.expected);
  }
}

TEST_CASE("path_safety compares the root prefix with a trailing slash") {
  CHECK(is_under("/srv/www", "/srv/www"));
  CHECK(is_under("/srv/www/a", "/srv/www"));
  CHECK(is_under("/srv/www/a/b", "/srv/www"));
  CHECK_FALSE(is_under("/srv/www-old/a", "/srv/www"));
  CHECK_FALSE(is_under("/srv/wwwa", "/srv/www"));
  CHECK_FALSE(is_under("/srv", "/srv/www"));
  CHECK(is_under("/etc/passwd", "/"));
  CHECK_FALSE(is_under("", "/srv"));
}

TEST_CASE("path_safety resolves under a root and refuses every way out") {
  rodeo::test::temp_dir base;
  base.write("root/a.txt", "a");
  base.write("root/sub/b.txt", "b");
  base.write("secret.txt", "secret");
  base.write("root-evil/x.txt", "x");
  base.symlink(base.str("secret.txt"), "root/abs-out");  // absolute target outside
  base.symlink("../../secret.txt", "root/sub/rel-out");  // relative target outside
  base.symlink(base.str(""), "root/dir-out");            // a directory outside
  base.symlink("../root-evil/x.txt", "root/sibling");    // shares the root's prefix
  base.symlink("sub/b.txt", "root/in");                  // stays inside: fine
  base.symlink("../a.txt", "root/sub/up-in");            // up, but still inside: fine
  const std::string root = base.str("root");

  auto ok = [&](const path_tokens& t, const std::string& expected) {
    const auto r = resolve_under(root, t);
    CHECK(r.status == path_status::ok);
    CHECK(r.path == expected);
  };
  ok({"a.txt"}, root + "/a.txt");
  ok({"sub", "b.txt"}, root + "/sub/b.txt");
  ok({"in"}, root + "/sub/b.txt");
  ok({"sub", "up-in"}, root + "/a.txt");
  ok({}, root);
  ok({"sub"}, root + "/sub");

  auto refused = [&](const path_tokens& t, path_status expected) {
    const auto r = resolve_under(root, t);
    CHECK(r.status == expected);
    CHECK(r.path.empty());
  };
  refused({"..", "secret.txt"}, path_status::not_found);
  refused({"sub", "..", "..", "secret.txt"}, path_status::not_found);
  refused({"abs-out"}, path_status::not_found);
  refused({"sub", "rel-out"}, path_status::not_found);
  refused({"dir-out", "secret.txt"}, path_status::not_found);
  refused({"dir-out"}, path_status::not_found);
  refused({"sibling"}, path_status::not_found);
  refused({base.str("secret.txt")}, path_status::not_found);
  refused({"missing.txt"}, path_status::not_found);
  refused({"a.txt", "x"}, path_status::not_found);
  refused({std::string("a.txt\0.png", 10)}, path_status::bad_request);
  refused({"..\\secret.txt"}, path_status::bad_request);

  // A root given through a symlink or with a trailing slash resolves to the same files.
  base.symlink(root, "root-link");
  ok({"a.txt"}, root + "/a.txt");
  CHECK(resolve_under(base.str("root-link"), {"a.txt"}).path == root + "/a.txt");
  CHECK(resolve_under(root + "/", {"a.txt"}).path == root + "/a.txt");
  CHECK(resolve_under(base.str("no-such-root"), {"a.txt"}).status == path_status::not_found);
}

TEST_CASE("path_safety calls a path hidden if a segment starts with a dot, but /.well-known/") {
  CHECK(is_hidden_path({".env"}));
  CHECK(is_hidden_path({".git", "config"}));
  CHECK(is_hidden_path({"a", "b", ".htaccess"}));
  CHECK(is_hidden_path({".well-known", ".secret"}));
  CHECK(is_hidden_path({"sub", ".well-known", "x"}));  // RFC 8615: only at the top
  CHECK_FALSE(is_hidden_path({}));
  CHECK_FALSE(is_hidden_path({"a.txt", "b..c", "d."}));
  CHECK_FALSE(is_hidden_path({".well-known", "acme-challenge", "token"}));
  CHECK_FALSE(is_hidden_path({"a", ""}));
}
