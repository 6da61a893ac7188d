#pragma once
/// \file
/// The static file handler behind rodeo::static_file / rodeo::static_dir (see
/// rodeo/mw/static/static.hpp for what it serves). A fresh static_h per request; the route's
/// configuration is shared, immutable but for the push manifest (which locks).

#include <cstdint>
#include <memory>
#include <string>

#include "rodeo/handler.hpp"
#include "rodeo/mw/static/file_cache.hpp"
#include "rodeo/mw/static/file_meta.hpp"
#include "rodeo/mw/static/locate.hpp"
#include "rodeo/mw/static/push_map.hpp"
#include "rodeo/mw/static/unique_fd.hpp"

namespace rodeo::mw::static_files {

/// A static route's configuration, built once by static_file / static_dir.
struct static_config {
  static_source source;
  std::string cache_control;
  bool precompressed = true;
  std::string content_type;                       ///< override; empty: from the extension
  std::shared_ptr<const push_manifest> manifest;  ///< null: no push
  std::shared_ptr<file_cache> cache;              ///< null: no cache (ttl 0)
};

/// Files up to this size go out in one reply; larger ones in pieces of this size.
inline constexpr std::uint64_t static_chunk_size = 64 * 1024;

class static_h final : public handler_base {
 public:
  explicit static_h(std::shared_ptr<const static_config> config);
  handler_result init(req& r) override;
  void terminate(terminate_reason reason, req& r) override;

 private:
  void serve_file(req& r, const located& file);
  void serve_cached(req& r, const std::shared_ptr<const cached_file>& cached);
  void serve_listing(req& r, const located& dir);
  void push_assets(req& r, const located& file);
  bool is_manifest(const std::string& real) const;
  /// Reads and sends the next piece of a streamed body; re-arms on_drain until fin.
  void send_next(req& r);
  /// Opens the file being streamed again; throws if it is gone or not the one announced.
  void reopen();

  std::shared_ptr<const static_config> config_;
  unique_fd fd_;            // the file being sent, open only while there is room to send
  std::string path_;        // its path: reopened by send_next, named in errors
  file_meta meta_;          // what the headers announced; a reopened file must match
  std::uint64_t next_ = 0;  // next byte to send
  std::uint64_t end_ = 0;   // one past the last byte to send
};

}  // namespace rodeo::mw::static_files
