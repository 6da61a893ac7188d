#include "rodeo/mw/static/mime.hpp"

#include <fstream>
#include <sstream>
#include <utility>

namespace rodeo::mw::static_files {

namespace {

constexpr std::string_view octet_stream = "application/octet-stream";

// The web's common types (IANA registrations; JavaScript per RFC 9239, fonts per RFC 8081).
constexpr std::pair<std::string_view, std::string_view> builtin_types[] = {
    {"html", "text/html"},
    {"htm", "text/html"},
    {"xhtml", "application/xhtml+xml"},
    {"css", "text/css"},
    {"js", "text/javascript"},
    {"mjs", "text/javascript"},
    {"cjs", "text/javascript"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"jsonld", "application/ld+json"},
    {"webmanifest", "application/manifest+json"},
    {"xml", "application/xml"},
    {"rss", "application/rss+xml"},
    {"atom", "application/atom+xml"},
    {"txt", "text/plain"},
    {"csv", "text/csv"},
    {"md", "text/markdown"},
    {"markdown", "text/markdown"},
    {"vtt", "text/vtt"},
    {"ics", "text/calendar"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"apng", "image/apng"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"bmp", "image/bmp"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"pdf", "application/pdf"},
    {"wasm", "application/wasm"},
    {"mp4", "video/mp4"},
    {"m4v", "video/mp4"},
    {"webm", "video/webm"},
    {"ogv", "video/ogg"},
    {"mov", "video/quicktime"},
    {"mp3", "audio/mpeg"},
    {"m4a", "audio/mp4"},
    {"ogg", "audio/ogg"},
    {"oga", "audio/ogg"},
    {"opus", "audio/ogg"},
    {"wav", "audio/wav"},
    {"flac", "audio/flac"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
    {"br", "application/x-brotli"},
    {"tar", "application/x-tar"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

bool wants_charset(std::string_view type) {
  return type.substr(0, 5) == "text/" || type == "application/javascript" ||
         type == "application/json" || type == "image/svg+xml";
}

mime_table mime_table::builtin() {
  mime_table t;
  for (const auto& [ext, type] : builtin_types) t.add(std::string(ext), type);
  return t;
}

void mime_table::add(std::string ext, std::string_view type) {
  std::string value(type);
  if (wants_charset(type)) value += "; charset=utf-8";
  types_.emplace(std::move(ext), std::move(value));  // emplace keeps an existing entry
}

void mime_table::add_mime_types(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string type, ext;
    if (!(words >> type) || type.find('/') == std::string::npos) continue;
    type = lower(type);
    while (words >> ext) add(lower(ext), type);
  }
}

std::string_view mime_table::find(std::string_view ext) const {
  const auto it = types_.find(lower(ext));
  return it == types_.end() ? std::string_view{} : std::string_view{it->second};
}

std::string_view mime_table::content_type(std::string_view path) const {
  const auto slash = path.rfind('/');
  const auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto dot = name.rfind('.');
  // No dot, or only a leading one (".profile"): no extension.
  if (dot == std::string_view::npos || dot == 0) return octet_stream;
  const auto type = find(name.substr(dot + 1));
  return type.empty() ? octet_stream : type;
}

const mime_table& default_mime_table() {
  static const mime_table table = [] {
    auto t = mime_table::builtin();
    if (std::ifstream f{"/etc/mime.types"}) {
      std::ostringstream text;
      text << f.rdbuf();
      t.add_mime_types(text.str());
    }
    return t;
  }();
  return table;
}

std::string_view content_type_for(std::string_view path) {
  return default_mime_table().content_type(path);
}

}  // namespace rodeo::mw::static_files
