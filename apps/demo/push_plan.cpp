#include "push_plan.hpp"

#include <algorithm>

#include "page_assets.hpp"

namespace demo {

push_plan push_plan::from_file(std::string path) {
  push_plan p;
  p.file_ = std::make_shared<const rodeo::mw::static_files::push_manifest>(path);
  p.source_ = std::move(path);
  return p;
}

push_plan push_plan::from_map(rodeo::mw::static_files::push_map map, std::string source) {
  push_plan p;
  p.map_ = std::move(map);
  p.source_ = std::move(source);
  return p;
}

std::vector<std::string> push_plan::assets_for(std::string_view page) const {
  auto lookup = [this](std::string_view p) {
    if (file_) return file_->assets_for(p);
    const auto it = map_.find(p);
    return it == map_.end() ? std::vector<std::string>{} : it->second;
  };
  auto assets = lookup(page);
  if (!page.empty() && page.back() == '/')
    for (auto& a : lookup(std::string(page) + index_))
      if (std::find(assets.begin(), assets.end(), a) == assets.end())
        assets.push_back(std::move(a));
  return assets;
}

rodeo::mw::static_files::push_map manifest_from_index(std::string_view html) {
  rodeo::mw::static_files::push_map map;
  map["/index.html"] = page_assets(html);
  return map;
}

}  // namespace demo
