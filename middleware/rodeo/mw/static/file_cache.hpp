#pragma once
/// \file
/// A short-lived cache of small files for static routes (nginx's open_file_cache, h2o's
/// file cache): for `ttl` after a file was first served, requests for the same path skip
/// the path resolution (realpath), the variant lookups, open, fstat and read. A file changed
/// on disk is seen at most `ttl` later. Files above static_chunk_size are never cached:
/// they are streamed from their descriptor.
///
/// Shared by every request actor of a route, hence the mutex (held for a map lookup).

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "rodeo/mw/static/file_meta.hpp"
#include "rodeo/mw/static/locate.hpp"

namespace rodeo::mw::static_files {

/// One representation of a cached file: the file itself (coding "") or a variant.
struct cached_representation {
  std::string coding;
  file_meta meta;
  std::string bytes;
};

struct cached_file {
  located file;
  std::vector<cached_representation> representations;  ///< identity first
  std::chrono::steady_clock::time_point expires;
};

class file_cache {
 public:
  explicit file_cache(std::chrono::milliseconds ttl, std::size_t max_entries = 4096)
      : ttl_(ttl), max_entries_(max_entries) {}

  std::chrono::milliseconds ttl() const { return ttl_; }

  /// The entry for `key` if it has not expired.
  std::shared_ptr<const cached_file> find(const std::string& key) const;

  /// Reads `file` and its variants into an entry and stores it under `key`; null when a
  /// representation is too large or cannot be read.
  std::shared_ptr<const cached_file> load(const std::string& key, const located& file,
                                          const std::vector<variant_file>& variants);

 private:
  std::chrono::milliseconds ttl_;
  std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const cached_file>> entries_;
};

}  // namespace rodeo::mw::static_files
