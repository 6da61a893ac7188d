#pragma once
/// \file
/// The process's descriptor limit (RLIMIT_NOFILE) as the listener sees it: raised to the hard
/// limit at start, the default connection limit derived from it, and the reserve descriptor
/// that lets an out-of-descriptors acceptor still accept, and close, the sockets waiting in its
/// backlog.

#include <cstddef>

namespace rodeo {

/// What raise_descriptor_limit found and did.
struct descriptor_limit {
  std::size_t before = 0;  ///< the soft limit found
  std::size_t soft = 0;    ///< the soft limit now (the hard limit when it could be raised)
};

/// Raises RLIMIT_NOFILE's soft limit to its hard limit (an unlimited hard limit: as far as the
/// kernel allows, tried from 1,048,576 down). The soft limit is left as it was if that fails.
descriptor_limit raise_descriptor_limit();

/// Descriptors kept back from connections when max_connections is 0: files being served,
/// logs, the process's own (the io threads, CAF, TLS): 5% of the limit, at least 32.
std::size_t descriptor_reserve(std::size_t soft_limit);

/// max_connections when it is 0: the soft limit less descriptor_reserve, at least 1.
std::size_t default_max_connections(std::size_t soft_limit);

/// One descriptor held open (on /dev/null) so that it can be given back when the process
/// runs out: closing it lets exactly one more accept succeed. Not thread-safe: the acceptors'
/// io thread owns it.
class reserve_descriptor {
 public:
  reserve_descriptor() = default;
  ~reserve_descriptor() { release(); }
  reserve_descriptor(const reserve_descriptor&) = delete;
  reserve_descriptor& operator=(const reserve_descriptor&) = delete;

  /// Opens the reserve if it is not held; false if that failed (still out of descriptors).
  bool acquire();
  /// Closes the reserve, freeing one descriptor.
  void release();
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace rodeo
