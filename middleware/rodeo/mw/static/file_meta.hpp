#pragma once
/// \file
/// What the static handler knows about a file: size and modification time from fstat, and the
/// validators derived from them (RFC 9110 §8.8): a strong ETag and Last-Modified.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rodeo::mw::static_files {

enum class file_kind { regular, directory, other };

struct file_meta {
  file_kind kind = file_kind::other;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  ///< modification time, nanoseconds since the Unix epoch
  std::uint64_t device = 0;   ///< st_dev: with `inode`, which file this is
  std::uint64_t inode = 0;    ///< st_ino
};

/// Whether `a` and `b` describe the same file with the same content as far as stat tells:
/// same device and inode, size and modification time.
bool same_file(const file_meta& a, const file_meta& b);

/// fstat of an open descriptor; nullopt on error.
std::optional<file_meta> stat_fd(int fd);

/// stat of a path (symlinks followed); nullopt if it does not exist or cannot be read.
std::optional<file_meta> stat_path(const std::string& path);

/// The validators a response carries.
struct validators {
  std::string etag;                ///< as sent, quotes included: "\"4d2-17a3c...\""
  std::int64_t last_modified = 0;  ///< Unix seconds, as sent in Last-Modified
};

/// Strong ETag `"<hex size>-<hex mtime ns>"`, plus `-<suffix>` for a precompressed variant
/// (`"4d2-17a3c5e4b0c1d2e0-br"`), so every representation has its own tag. Strong because the
/// nanosecond mtime changes with every write (RFC 9110 §8.8.1).
std::string strong_etag(const file_meta& meta, std::string_view suffix = {});

/// The validators of `meta`. Last-Modified is the mtime in seconds, but never later than
/// `now` (RFC 9110 §8.8.2.1: no Last-Modified after the message's own date).
validators make_validators(const file_meta& meta, std::int64_t now, std::string_view suffix = {});

}  // namespace rodeo::mw::static_files
