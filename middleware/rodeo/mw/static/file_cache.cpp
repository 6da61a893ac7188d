#include "rodeo/mw/static/file_cache.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "rodeo/mw/static/static_h.hpp"
#include "rodeo/mw/static/unique_fd.hpp"

namespace rodeo::mw::static_files {

namespace {

// The whole of a small regular file, or false.
bool read_small(const std::string& path, cached_representation& out) {
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW));
  if (!fd) return false;
  auto meta = stat_fd(fd.get());
  if (!meta || meta->kind != file_kind::regular || meta->size > static_chunk_size) return false;
  out.meta = *meta;
  out.bytes.resize(meta->size);
  std::size_t got = 0;
  while (got < out.bytes.size()) {
    ssize_t r =
        ::pread(fd.get(), out.bytes.data() + got, out.bytes.size() - got, static_cast<off_t>(got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;  // shrank meanwhile: do not cache a torn read
    got += static_cast<std::size_t>(r);
  }
  return true;
}

}  // namespace

std::shared_ptr<const cached_file> file_cache::find(const std::string& key) const {
  std::lock_guard<std::mutex> g{mutex_};
  auto i = entries_.find(key);
  if (i == entries_.end() || i->second->expires <= std::chrono::steady_clock::now()) return nullptr;
  return i->second;
}

std::shared_ptr<const cached_file> file_cache::load(const std::string& key, const located& file,
                                                    const std::vector<variant_file>& variants) {
  auto entry = std::make_shared<cached_file>();
  entry->file = file;
  cached_representation identity;
  if (!read_small(file.path, identity)) return nullptr;
  entry->representations.push_back(std::move(identity));
  for (const auto& v : variants) {
    cached_representation rep;
    rep.coding = std::string{v.coding};
    if (!read_small(v.path, rep)) return nullptr;
    entry->representations.push_back(std::move(rep));
  }
  entry->expires = std::chrono::steady_clock::now() + ttl_;
  std::lock_guard<std::mutex> g{mutex_};
  if (entries_.size() >= max_entries_) entries_.clear();  // a bound, not an LRU: rare
  entries_[key] = entry;
  return entry;
}

}  // namespace rodeo::mw::static_files
