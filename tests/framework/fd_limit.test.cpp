#include "rodeo/internal/net/fd_limit.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

TEST_CASE("fd_limit keeps max(32, 5%) of the descriptors back from connections") {
  CHECK(rodeo::descriptor_reserve(128) == 32);
  CHECK(rodeo::descriptor_reserve(1024) == 51);
  CHECK(rodeo::descriptor_reserve(524'288) == 26'214);
  CHECK(rodeo::default_max_connections(128) == 96);
  CHECK(rodeo::default_max_connections(1024) == 973);
  CHECK(rodeo::default_max_connections(524'288) == 498'074);
  // A limit too small for the reserve still allows one connection.
  CHECK(rodeo::default_max_connections(32) == 1);
  CHECK(rodeo::default_max_connections(0) == 1);
}

TEST_CASE("fd_limit raises the soft descriptor limit to the hard one") {
  rlimit saved{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
  if (saved.rlim_max == RLIM_INFINITY || saved.rlim_max < 64) return;  // nothing to check
  rlimit low{64, saved.rlim_max};
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
  const auto got = rodeo::raise_descriptor_limit();
  rlimit now{};
  ::getrlimit(RLIMIT_NOFILE, &now);
  ::setrlimit(RLIMIT_NOFILE, &saved);
  CHECK(got.before == 64);
  CHECK(got.soft == saved.rlim_max);
  CHECK(now.rlim_cur == saved.rlim_max);
}

TEST_CASE("fd_limit's reserve descriptor holds one descriptor until released") {
  auto next_fd = [] {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ::close(fd);
    return fd;
  };
  const int free_before = next_fd();
  rodeo::reserve_descriptor r;
  CHECK_FALSE(r.held());
  CHECK(r.acquire());
  CHECK(r.held());
  CHECK(r.acquire());  // held already: no second descriptor
  CHECK(next_fd() != free_before);
  r.release();
  CHECK_FALSE(r.held());
  CHECK(next_fd() == free_before);  // the lowest free descriptor is back
}
