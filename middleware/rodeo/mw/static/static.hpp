#pragma once
/// \file
/// Static files, Cowboy's `cowboy_static`: route targets that serve one file or a directory.
///
///     rodeo::static_options assets;
///     assets.cache_control = "public, max-age=3600";
///     ...
///     {"/favicon.ico", rodeo::static_file("site/favicon.ico")},
///     {"/static/[...]", rodeo::static_dir("site", assets)},
///
/// For static_dir the file is `root / path_info` (the tokens the route's trailing `[...]`
/// matched). What a request gets:
/// - GET and HEAD; other methods 405 with `allow: GET, HEAD`.
/// - A content type from the extension (rodeo/mw/static/mime.hpp), `charset=utf-8` on text.
/// - A strong ETag and Last-Modified; conditional requests per RFC 9110 §13 (304, 412).
/// - Range requests per RFC 9110 §14: one range 206, none satisfiable 416, several ranges the
///   whole file with 200 (rodeo/mw/static/ranges.hpp says why); If-Range; accept-ranges.
/// - Never a file outside the root: dot segments, empty segments, a '/' inside a segment, and
///   symlinks leading out are 404; NUL or '\\' in a segment 400 (path_safety.hpp).
/// - Hidden files: a segment starting with '.' (`/.git/config`, `/.env`) is 404 unless
///   `dotfiles`; a first segment `.well-known` (RFC 8615) is served. Listings never show them.
/// - A file that cannot be opened for lack of descriptors or memory: 503 with
///   `retry-after: 1` (the file exists; the server is busy), never 404.
/// - A directory: its index file if present, else a listing (`listing`) or 404; asked for
///   without its trailing '/', a 301 to it (relative links in the index need the slash).
/// - `file.br` / `file.gz` beside the file when Accept-Encoding takes them, with
///   content-encoding, their own ETag, and `vary: accept-encoding` whenever variants exist.
/// - Files up to 64 KiB in one reply; larger ones streamed in 64 KiB pieces, each sent when
///   the connection has drained the previous one: memory per request stays bounded. The file
///   is opened again only when the connection first has room for it, so a request waiting on a
///   client that does not read holds no descriptor; if it is no longer the same file (device,
///   inode, size, mtime) the stream is reset, since its headers already went out.
/// - Push: with a manifest (rodeo/mw/static/push_map.hpp), a GET answered 200 for a listed page
///   promises its assets (RFC 9113 §8.4) before the reply, unless the request is itself pushed.
///   Promised requests come back through the router like any request.

#include <chrono>
#include <string>

#include "rodeo/handler.hpp"

namespace rodeo {

/// Per-route options of static_file / static_dir.
struct static_options {
  /// The cache-control value of 200, 206 and 304 responses; empty: no cache-control field.
  std::string cache_control{};
  /// List a directory that has no index file (an HTML page) instead of answering 404.
  bool listing = false;
  /// Serve paths with a segment that starts with "." (`/.git/config`, `/.env`). Off: such a
  /// path is answered 404, as if it did not exist (static_dir only), except under a first
  /// segment `.well-known` (RFC 8615), which is public by design.
  bool dotfiles = false;
  /// Serve `<file>.br` / `<file>.gz` when the client accepts them.
  bool precompressed = true;
  /// Push the assets the manifest lists for a page. Turned on by `push = true` (manifest
  /// `push.map`) or by naming a manifest in `push_map`.
  bool push = false;
  /// The manifest's file name: relative to the root (static_dir) or to the file's directory
  /// (static_file), or absolute. Empty with `push = true` means "push.map". The manifest
  /// itself is never served. It is read when the route is made (a malformed one throws
  /// std::invalid_argument) and re-read when it changes.
  std::string push_map{};
  /// The file served for a directory (static_dir).
  std::string index = "index.html";
  /// A content type to use instead of the one from the extension (mostly for static_file).
  std::string content_type{};
  /// How long a small file (up to 64 KiB) stays in memory after it was served: requests
  /// within that time skip the file system. A change on disk shows at most this late.
  /// Zero: no cache.
  std::chrono::milliseconds cache_ttl{1000};
};

/// A route target serving the file at `path` (whatever the request's path_info).
/// Throws std::invalid_argument if `path` is empty or the push manifest is malformed.
route_target static_file(std::string path, static_options opts = {});

/// A route target serving files under the directory `root`, chosen by the request's path_info.
/// Throws std::invalid_argument if `root` is empty or the push manifest is malformed.
route_target static_dir(std::string root, static_options opts = {});

}  // namespace rodeo
