#include "rodeo/mw/static/open_error.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <initializer_list>

using namespace rodeo::mw::static_files;

TEST_CASE("open_error: out of descriptors or memory is 503, anything else 404") {
  for (int e : {EMFILE, ENFILE, ENOMEM}) {
    CAPTURE(e);
    CHECK(is_resource_shortage(e));
    CHECK(status_for_open_error(e) == 503);
  }
  for (int e : {ENOENT, ENOTDIR, ELOOP, EACCES, ENXIO, EISDIR, ENAMETOOLONG, 0}) {
    CAPTURE(e);
    CHECK_FALSE(is_resource_shortage(e));
    CHECK(status_for_open_error(e) == 404);
  }
}
