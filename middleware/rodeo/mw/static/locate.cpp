#include "rodeo/mw/static/locate.hpp"

#include "rodeo/mw/static/file_meta.hpp"
#include "rodeo/mw/static/path_safety.hpp"
#include "rodeo/mw/static/precompressed.hpp"

namespace rodeo::mw::static_files {

namespace {

bool is_regular(const std::string& path) {
  const auto m = stat_path(path);
  return m && m->kind == file_kind::regular;
}

located from_status(path_status s) {
  located out;
  out.kind = s == path_status::bad_request ? located_kind::bad_request : located_kind::not_found;
  return out;
}

located locate_file(const static_source& src) {
  located out;
  out.path = real_path(src.path);
  out.kind =
      !out.path.empty() && is_regular(out.path) ? located_kind::file : located_kind::not_found;
  return out;
}

}  // namespace

located locate(const static_source& src, path_tokens tokens, bool trailing_slash) {
  if (!src.directory) return locate_file(src);
  if (!tokens.empty() && tokens.back().empty()) {
    tokens.pop_back();
    trailing_slash = true;
  }
  // Before the file system is asked: a hidden file is 404 whether it exists or not.
  if (!src.dotfiles && is_hidden_path(tokens)) return from_status(path_status::not_found);
  const auto target = resolve_under(src.path, tokens);
  if (target.status != path_status::ok) return from_status(target.status);
  const auto meta = stat_path(target.path);
  if (!meta) return from_status(path_status::not_found);

  located out;
  if (meta->kind == file_kind::regular) {
    if (trailing_slash) return out;  // "file.txt/" names no file
    out.kind = located_kind::file;
    out.path = target.path;
    out.tokens = std::move(tokens);
    return out;
  }
  if (meta->kind != file_kind::directory) return out;
  if (!trailing_slash) {
    out.kind = located_kind::redirect;
    return out;
  }
  if (!src.index.empty()) {
    auto index_tokens = tokens;
    index_tokens.push_back(src.index);
    const auto index = resolve_under(src.path, index_tokens);
    if (index.status == path_status::ok && is_regular(index.path)) {
      out.kind = located_kind::file;
      out.path = index.path;
      out.tokens = std::move(index_tokens);
      return out;
    }
  }
  if (src.listing) {
    out.kind = located_kind::listing;
    out.path = target.path;
  }
  return out;
}

std::vector<variant_file> find_variants(const static_source& src, const located& file) {
  std::vector<variant_file> out;
  if (file.kind != located_kind::file) return out;
  for (const auto& v : coding_variants) {
    std::string path;
    if (src.directory) {
      if (file.tokens.empty()) continue;  // the root itself is not a file
      auto tokens = file.tokens;
      tokens.back() += v.extension;
      const auto r = resolve_under(src.path, tokens);
      if (r.status != path_status::ok) continue;
      path = r.path;
    } else {
      path = real_path(src.path + std::string(v.extension));
    }
    if (!path.empty() && is_regular(path)) out.push_back({v.coding, std::move(path)});
  }
  return out;
}

}  // namespace rodeo::mw::static_files
