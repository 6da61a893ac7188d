#include "rodeo/mw/static/static.hpp"

#include <memory>
#include <stdexcept>
#include <utility>

#include "rodeo/mw/static/static_h.hpp"

namespace rodeo {

namespace {

using mw::static_files::push_manifest;
using mw::static_files::static_config;
using mw::static_files::static_h;

// The manifest's path: absolute as given, else relative to `base` (a directory).
std::string manifest_path(const static_options& opts, const std::string& base) {
  const std::string name = opts.push_map.empty() ? "push.map" : opts.push_map;
  if (name.front() == '/') return name;
  if (base.empty()) return name;  // a file named without a directory: the working directory
  return base == "/" ? "/" + name : base + "/" + name;
}

route_target make(std::shared_ptr<static_config> config, const static_options& opts,
                  const std::string& manifest_base) {
  config->source.index = opts.index;
  config->source.listing = opts.listing;
  config->source.dotfiles = opts.dotfiles;
  config->cache_control = opts.cache_control;
  config->precompressed = opts.precompressed;
  config->content_type = opts.content_type;
  if (opts.cache_ttl.count() > 0)
    config->cache = std::make_shared<mw::static_files::file_cache>(opts.cache_ttl);
  if (opts.push || !opts.push_map.empty())
    config->manifest = std::make_shared<const push_manifest>(manifest_path(opts, manifest_base));
  return rodeo::handler<static_h>(std::shared_ptr<const static_config>(std::move(config)));
}

}  // namespace

route_target static_file(std::string path, static_options opts) {
  if (path.empty())
    throw std::invalid_argument("static_file: the path is empty; give the file to serve");
  auto config = std::make_shared<static_config>();
  config->source.directory = false;
  const auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : slash == 0 ? "/" : path.substr(0, slash);
  config->source.path = std::move(path);
  return make(std::move(config), opts, dir);
}

route_target static_dir(std::string root, static_options opts) {
  if (root.empty())
    throw std::invalid_argument(
        "static_dir: the root is empty; give the directory to serve (\".\" for the current one)");
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  auto config = std::make_shared<static_config>();
  config->source.directory = true;
  config->source.path = root;
  return make(std::move(config), opts, root);
}

}  // namespace rodeo
