#pragma once
/// \file
/// The push manifest: which assets to push (RFC 9113 §8.4) when a page is served.
///
/// Format (a text file, `push.map` in the root by convention):
///
///     # comments run from '#' to the end of the line; blank lines are ignored
///     /index.html: /style.css /app.js /img/logo.png
///     /docs/:      /style.css /docs.js?v=3
///
/// Each line is a page's request path, a colon (followed by whitespace or the end of the
/// line), then the assets to push, separated by whitespace. Pages and assets are absolute
/// paths as the client requests them (`/...`, not `//...`); an asset may carry a query string.
/// A page listed twice pushes the assets of both lines, in order; a page with no assets is
/// allowed. Anything else is an error naming the file and line.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace rodeo::mw::static_files {

/// Page path → assets to push, in manifest order.
using push_map = std::map<std::string, std::vector<std::string>, std::less<>>;

/// Parses a manifest. Throws std::invalid_argument `"<source> line <n>: <what is wrong>"`.
push_map parse_push_map(std::string_view text, std::string_view source = "push.map");

/// The accept header a browser sends for an asset of this kind, for the pushed request:
/// stylesheets `text/css,*/*;q=0.1`, images `image/avif,image/webp,image/apng,image/*,*/*;q=0.8`,
/// documents `text/html,...`, anything else (scripts, fonts...) `*/*`.
std::string_view push_accept_for(std::string_view asset);

/// A manifest file read once and re-read when it changes (mtime or size), shared by every
/// request of a route. Thread-safe.
class push_manifest {
 public:
  /// Reads `path` now if it exists; a malformed manifest throws std::invalid_argument so that
  /// the route table fails at start-up. A missing file pushes nothing until it appears.
  explicit push_manifest(std::string path);

  /// The assets to push for `page`. A changed file is re-read first; if the new version does
  /// not parse, the previous one stays in use and the error is logged.
  std::vector<std::string> assets_for(std::string_view page) const;

  /// The manifest file's path as configured.
  const std::string& path() const { return path_; }

 private:
  std::shared_ptr<const push_map> current() const;

  std::string path_;
  // Request actors of one route run on several scheduler threads and share this manifest;
  // the mutex guards the reload (a stat per call, a parse only when the file changed).
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const push_map> map_;
  mutable std::int64_t mtime_ns_ = -1;
  mutable std::uint64_t size_ = 0;
  mutable bool seen_ = false;
};

}  // namespace rodeo::mw::static_files
