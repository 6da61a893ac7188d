#pragma once
/// \file
/// Which file a static route serves for a request: the route's file (static_file), or the
/// request's path_info under the root (static_dir), a directory's index, its listing, or a
/// redirect to the directory's slash-terminated URL. Also finds precompressed variants.
/// Everything under a root goes through resolve_under (rodeo/mw/static/path_safety.hpp).

#include <string>
#include <string_view>
#include <vector>

#include "rodeo/bindings.hpp"

namespace rodeo::mw::static_files {

/// Where a static route's files come from.
struct static_source {
  bool directory = false;            ///< static_dir (a root) or static_file (one file)
  std::string path;                  ///< the root, or the file
  std::string index = "index.html";  ///< a directory's index file
  bool listing = false;              ///< list directories that have no index
  bool dotfiles = false;             ///< serve segments starting with '.' (static_options)
};

enum class located_kind {
  file,         ///< serve `path`
  listing,      ///< list the directory `path`
  redirect,     ///< a directory asked for without its trailing '/': 301 to path + "/"
  not_found,    ///< 404
  bad_request,  ///< 400 (NUL or backslash in a segment)
};

struct located {
  located_kind kind = located_kind::not_found;
  std::string path;    ///< file: the realpath to open; listing: the directory's realpath
  path_tokens tokens;  ///< static_dir file: its tokens under the root (index included)
};

/// Locates what to serve. `tokens` is the request's path_info (ignored by static_file);
/// `trailing_slash` says the request path ends in '/'. A last empty token also means a
/// trailing slash (routers differ on whether they keep it); any other empty token is 404.
/// A regular file asked for with a trailing slash is 404, as a directory without one is a
/// redirect: relative links in an index page resolve against the slash-terminated URL.
/// Only regular files and directories are served: FIFOs, devices and sockets are 404.
/// Unless `src.dotfiles`, a path with a hidden segment is 404 (is_hidden_path).
located locate(const static_source& src, path_tokens tokens, bool trailing_slash);

/// A precompressed variant on disk.
struct variant_file {
  std::string_view coding;  ///< "br", "gzip"
  std::string path;         ///< its realpath
};

/// The variants (`<file>.br`, `<file>.gz`, see rodeo/mw/static/precompressed.hpp) of a located
/// file that exist as regular files (under the root, for static_dir).
std::vector<variant_file> find_variants(const static_source& src, const located& file);

}  // namespace rodeo::mw::static_files
