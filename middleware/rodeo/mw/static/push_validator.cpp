#include "rodeo/mw/static/push_validator.hpp"

#include <algorithm>

#include "rodeo/mw/static/file_meta.hpp"

namespace rodeo::mw::static_files {

std::string push_validator(const static_source& src, std::string_view page_path,
                           const path_tokens& page_info, std::string_view asset) {
  if (!src.directory) return {};
  // The route's prefix: the page's path without its path_info ("/site/a/b" - "a/b").
  std::string info;
  for (const auto& t : page_info) (info += '/') += t;
  if (page_path.size() < info.size() || page_path.substr(page_path.size() - info.size()) != info)
    return {};
  auto prefix = page_path.substr(0, page_path.size() - info.size());
  if (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);  // "/" with no info
  if (asset.substr(0, prefix.size()) != prefix) return {};
  auto rest = asset.substr(prefix.size());
  if (rest.empty() || rest.front() != '/' || rest.back() == '/') return {};
  path_tokens tokens;
  for (std::size_t i = 1; i <= rest.size();) {
    const auto slash = std::min(rest.find('/', i), rest.size());
    tokens.emplace_back(rest.substr(i, slash - i));
    i = slash + 1;
  }
  // locate() keeps the static route's rules: under the root, no dotfiles unless allowed.
  const auto file = locate(src, std::move(tokens), false);
  if (file.kind != located_kind::file) return {};
  const auto meta = stat_path(file.path);
  return meta ? strong_etag(*meta) : std::string{};
}

}  // namespace rodeo::mw::static_files
