#include "rodeo/mw/static/push_map.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "rodeo/log.hpp"
#include "rodeo/mw/static/file_meta.hpp"

namespace rodeo::mw::static_files {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Why `p` is not a usable absolute request path, or empty if it is.
std::string path_problem(std::string_view p) {
  if (p.empty() || p.front() != '/') return "'" + std::string(p) + "' does not start with '/'";
  if (p.substr(0, 2) == "//") return "'" + std::string(p) + "' starts with '//'";
  for (char c : p)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return "a control character in '" + std::string(p) + "'";
  return {};
}

std::string_view extension(std::string_view asset) {
  asset = asset.substr(0, asset.find('?'));
  const auto slash = asset.rfind('/');
  const auto dot = asset.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return asset.substr(dot + 1);
}

}  // namespace

push_map parse_push_map(std::string_view text, std::string_view source) {
  push_map map;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++number;
    auto fail = [&](const std::string& what) {
      throw std::invalid_argument(std::string(source) + " line " + std::to_string(number) + ": " +
                                  what + "; expected '<page>: <asset> <asset>...'");
    };
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    // The separator is a colon followed by whitespace or the end of the line.
    std::size_t colon = line.find(':');
    while (colon != std::string_view::npos && colon + 1 < line.size() && !is_space(line[colon + 1]))
      colon = line.find(':', colon + 1);
    if (colon == std::string_view::npos) fail("no ':' after the page");
    const auto page = trim(line.substr(0, colon));
    if (page.empty()) fail("no page before ':'");
    for (char c : page)
      if (is_space(c)) fail("the page '" + std::string(page) + "' contains whitespace");
    if (auto p = path_problem(page); !p.empty()) fail("page " + p);
    auto& assets = map[std::string(page)];
    std::istringstream words{std::string(line.substr(colon + 1))};
    std::string asset;
    while (words >> asset) {
      if (auto p = path_problem(asset); !p.empty()) fail("asset " + p);
      assets.push_back(asset);
    }
  }
  return map;
}

std::string_view push_accept_for(std::string_view asset) {
  std::string ext(extension(asset));
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (ext == "css") return "text/css,*/*;q=0.1";
  for (const char* img : {"png", "jpg", "jpeg", "gif", "webp", "avif", "apng", "svg", "ico", "bmp"})
    if (ext == img) return "image/avif,image/webp,image/apng,image/*,*/*;q=0.8";
  if (ext == "html" || ext == "htm")
    return "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  return "*/*";
}

push_manifest::push_manifest(std::string path) : path_(std::move(path)) {
  map_ = std::make_shared<const push_map>();
  if (const auto meta = stat_path(path_)) {
    std::ifstream f(path_);
    std::ostringstream text;
    text << f.rdbuf();
    map_ = std::make_shared<const push_map>(parse_push_map(text.str(), path_));
    mtime_ns_ = meta->mtime_ns;
    size_ = meta->size;
    seen_ = true;
  }
}

std::shared_ptr<const push_map> push_manifest::current() const {
  const auto meta = stat_path(path_);
  std::lock_guard lock(mutex_);
  if (!meta) {
    // The file went away: stop pushing until it comes back.
    if (seen_) map_ = std::make_shared<const push_map>();
    seen_ = false;
    return map_;
  }
  if (seen_ && meta->mtime_ns == mtime_ns_ && meta->size == size_) return map_;
  mtime_ns_ = meta->mtime_ns;
  size_ = meta->size;
  seen_ = true;
  try {
    std::ifstream f(path_);
    std::ostringstream text;
    text << f.rdbuf();
    map_ = std::make_shared<const push_map>(parse_push_map(text.str(), path_));
  } catch (const std::exception& e) {
    log::app()->warn("static push map {} not reloaded, keeping the previous one: {}", path_,
                     e.what());
  }
  return map_;
}

std::vector<std::string> push_manifest::assets_for(std::string_view page) const {
  const auto map = current();
  const auto it = map->find(page);
  return it == map->end() ? std::vector<std::string>{} : it->second;
}

}  // namespace rodeo::mw::static_files
