#include "rodeo/internal/net/fd_limit.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

namespace rodeo {

descriptor_limit raise_descriptor_limit() {
  descriptor_limit out;
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return out;
  out.before = out.soft = static_cast<std::size_t>(rl.rlim_cur);
  if (rl.rlim_cur == rl.rlim_max) return out;
  if (rl.rlim_max != RLIM_INFINITY) {
    rlimit raised{rl.rlim_max, rl.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) out.soft = static_cast<std::size_t>(rl.rlim_max);
    return out;
  }
  // An unlimited hard limit still stops at the kernel's fs.nr_open (1,048,576 by default).
  for (rlim_t n = 1 << 20; n > rl.rlim_cur; n /= 2) {
    rlimit raised{n, rl.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      out.soft = static_cast<std::size_t>(n);
      break;
    }
  }
  return out;
}

std::size_t descriptor_reserve(std::size_t soft_limit) {
  return std::max<std::size_t>(32, soft_limit / 20);
}

std::size_t default_max_connections(std::size_t soft_limit) {
  const auto reserve = descriptor_reserve(soft_limit);
  return soft_limit > reserve ? soft_limit - reserve : 1;
}

bool reserve_descriptor::acquire() {
  if (fd_ < 0) fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  return fd_ >= 0;
}

void reserve_descriptor::release() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace rodeo
