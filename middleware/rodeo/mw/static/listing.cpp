#include "rodeo/mw/static/listing.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>

namespace rodeo::mw::static_files {

std::vector<listing_entry> read_listing(const std::string& dir, std::string_view hidden) {
  std::vector<listing_entry> out;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), &::closedir);
  if (!d) return out;
  while (const dirent* e = ::readdir(d.get())) {
    const std::string_view name = e->d_name;
    if (name.empty() || name.front() == '.' || name == hidden) continue;
    struct stat st {};
    // stat follows symlinks: a link to a directory lists as one. Whether a link may be
    // served is decided when it is requested (resolve_under), not here.
    if (::fstatat(::dirfd(d.get()), e->d_name, &st, 0) != 0) continue;
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) continue;
    out.push_back({std::string(name), S_ISDIR(st.st_mode), static_cast<std::uint64_t>(st.st_size)});
  }
  std::sort(out.begin(), out.end(), [](const listing_entry& a, const listing_entry& b) {
    return a.directory != b.directory ? a.directory : a.name < b.name;
  });
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string encode_segment(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '!' || c == '$' ||
                       c == '(' || c == ')' || c == '*' || c == '+' || c == ',' || c == ';' ||
                       c == '=' || c == '@';
    if (plain) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

std::string render_listing(std::string_view url_path, const std::vector<listing_entry>& entries) {
  const std::string title = html_escape(url_path);
  std::string out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of " +
                    title + "</title></head>\n<body><h1>Index of " + title + "</h1>\n<ul>\n";
  if (url_path != "/") out += "<li><a href=\"../\">../</a></li>\n";
  for (const auto& e : entries) {
    const std::string suffix = e.directory ? "/" : "";
    // "./" keeps every link relative, whatever the name starts with.
    out += "<li><a href=\"./" + encode_segment(e.name) + suffix + "\">" + html_escape(e.name) +
           suffix + "</a>";
    if (!e.directory) out += " " + std::to_string(e.size) + " bytes";
    out += "</li>\n";
  }
  out += "</ul></body></html>\n";
  return out;
}

}  // namespace rodeo::mw::static_files
