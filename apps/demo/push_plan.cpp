#include "push_plan.hpp"

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
  if (file_) return file_->assets_for(page);
  const auto it = map_.find(page);
  return it == map_.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> index_pages() { return {"/", "/index.html"}; }

rodeo::mw::static_files::push_map manifest_from_index(std::string_view html) {
  rodeo::mw::static_files::push_map map;
  const auto assets = page_assets(html);
  for (const auto& page : index_pages()) map[page] = assets;
  return map;
}

}  // namespace demo
