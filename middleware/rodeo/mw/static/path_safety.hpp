#pragma once
/// \file
/// Resolving a request's path tokens to a file under a root, never outside it.
///
/// The router has already split the path into segments and percent-decoded them, so a
/// segment can hold anything decoding produced: "..", "/", "\\", NUL. Each token is checked
/// as it is (never decoded a second time), then the joined path is resolved with realpath(3)
/// (symlinks included) and must be the root itself or lie under `root + "/"`.
///
/// Known limit: a symlink swapped between the check and the open by someone who can write
/// inside the root could still redirect the open; the root's writers are trusted.

#include <string>
#include <string_view>

#include "rodeo/bindings.hpp"

namespace rodeo::mw::static_files {

enum class path_status {
  ok,           ///< `path` is the resolved file or directory, under the root
  not_found,    ///< 404: missing, a dot segment, an empty or absolute segment, or outside the root
  bad_request,  ///< 400: a NUL or a backslash in a segment
};

struct resolved_path {
  path_status status = path_status::not_found;
  std::string path;  ///< realpath of the target when ok
};

/// Checks tokens only (no filesystem): NUL or '\\' → bad_request; "", ".", "..", or a '/'
/// (an absolute or multi-segment token, e.g. a decoded %2F) → not_found; else ok.
path_status check_tokens(const path_tokens& tokens);

/// True if a token starts with '.' (`.git`, `.env`, `.htpasswd`): files a directory holds for
/// tools, not for its visitors. A first token `.well-known` is not hidden (RFC 8615: ACME
/// challenges, security.txt and the like are published there on purpose); hidden tokens below
/// it still are. "." and ".." are refused by check_tokens anyway.
bool is_hidden_path(const path_tokens& tokens);

/// The realpath of `path` if it exists; empty otherwise.
std::string real_path(const std::string& path);

/// True if `path` is `root` or lies under it (prefix compared with a trailing '/', so that
/// "/srv/www-old" is not under "/srv/www"). Both are realpaths.
bool is_under(std::string_view path, std::string_view root);

/// Resolves `root / tokens...` (the root need not be a realpath): check_tokens, then realpath,
/// then is_under against the root's realpath.
resolved_path resolve_under(const std::string& root, const path_tokens& tokens);

}  // namespace rodeo::mw::static_files
