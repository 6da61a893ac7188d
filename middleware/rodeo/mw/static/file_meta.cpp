#include "rodeo/mw/static/file_meta.hpp"

#include <sys/stat.h>

#include <cstdio>

namespace rodeo::mw::static_files {

namespace {

file_meta from_stat(const struct stat& st) {
  file_meta m;
  m.kind = S_ISREG(st.st_mode)   ? file_kind::regular
           : S_ISDIR(st.st_mode) ? file_kind::directory
                                 : file_kind::other;
  m.size = static_cast<std::uint64_t>(st.st_size);
  m.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  m.device = static_cast<std::uint64_t>(st.st_dev);
  m.inode = static_cast<std::uint64_t>(st.st_ino);
  return m;
}

}  // namespace

bool same_file(const file_meta& a, const file_meta& b) {
  return a.device == b.device && a.inode == b.inode && a.size == b.size && a.mtime_ns == b.mtime_ns;
}

std::optional<file_meta> stat_fd(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return {};
  return from_stat(st);
}

std::optional<file_meta> stat_path(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return from_stat(st);
}

std::string strong_etag(const file_meta& meta, std::string_view suffix) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "\"%llx-%llx", static_cast<unsigned long long>(meta.size),
                static_cast<unsigned long long>(meta.mtime_ns));
  std::string tag = buf;
  if (!suffix.empty()) {
    tag += '-';
    tag += suffix;
  }
  tag += '"';
  return tag;
}

validators make_validators(const file_meta& meta, std::int64_t now, std::string_view suffix) {
  // Floor division: a pre-1970 mtime still rounds down to its second.
  std::int64_t secs = meta.mtime_ns / 1'000'000'000;
  if (meta.mtime_ns % 1'000'000'000 < 0) --secs;
  return {strong_etag(meta, suffix), secs < now ? secs : now};
}

}  // namespace rodeo::mw::static_files
