#pragma once
/// \file
/// What the demo pushes for a page: the assets a push manifest file lists (re-read when it
/// changes, rodeo/mw/static/push_map.hpp), or a manifest made in memory at start (from the
/// references of a directory's index.html, when the directory has no push.map).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/mw/static/push_map.hpp"

namespace demo {

class push_plan {
 public:
  /// The manifest file at `path` (a malformed one throws std::invalid_argument).
  static push_plan from_file(std::string path);
  /// A fixed manifest; `source` says where it came from (for /push-info).
  static push_plan from_map(rodeo::mw::static_files::push_map map, std::string source);

  /// The assets to push for the request path `page`, in manifest order. A page ending in
  /// '/' also takes the assets of its index (`page + index`), as static_dir does.
  std::vector<std::string> assets_for(std::string_view page) const;
  /// The manifest file, or how the manifest was made.
  const std::string& source() const { return source_; }

 private:
  std::shared_ptr<const rodeo::mw::static_files::push_manifest> file_;
  rodeo::mw::static_files::push_map map_;
  std::string source_;
  std::string index_ = "index.html";
};

/// A manifest pushing, for "/index.html" (and so for "/"), what `html` references
/// (demo::page_assets).
rodeo::mw::static_files::push_map manifest_from_index(std::string_view html);

}  // namespace demo
