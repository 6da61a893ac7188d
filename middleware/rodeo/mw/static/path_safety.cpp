#include "rodeo/mw/static/path_safety.hpp"

#include <climits>
#include <cstdlib>
#include <memory>

namespace rodeo::mw::static_files {

path_status check_tokens(const path_tokens& tokens) {
  for (const auto& t : tokens)
    if (t.find('\0') != std::string::npos || t.find('\\') != std::string::npos)
      return path_status::bad_request;
  for (const auto& t : tokens)
    if (t.empty() || t == "." || t == ".." || t.find('/') != std::string::npos)
      return path_status::not_found;
  return path_status::ok;
}

bool is_hidden_path(const path_tokens& tokens) {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto& t = tokens[i];
    if (t.empty() || t.front() != '.') continue;
    if (i == 0 && t == ".well-known") continue;
    return true;
  }
  return false;
}

std::string real_path(const std::string& path) {
  if (path.empty() || path.find('\0') != std::string::npos) return {};
  std::unique_ptr<char, decltype(&std::free)> p(::realpath(path.c_str(), nullptr), &std::free);
  return p ? std::string(p.get()) : std::string();
}

bool is_under(std::string_view path, std::string_view root) {
  if (root.empty() || path.empty()) return false;
  if (path == root) return true;
  if (root == "/") return path.front() == '/';
  return path.size() > root.size() && path.substr(0, root.size()) == root &&
         path[root.size()] == '/';
}

resolved_path resolve_under(const std::string& root, const path_tokens& tokens) {
  resolved_path out;
  out.status = check_tokens(tokens);
  if (out.status != path_status::ok) return out;
  out.status = path_status::not_found;
  const std::string base = real_path(root);
  if (base.empty()) return out;
  std::string joined = base;
  for (const auto& t : tokens) {
    if (joined.back() != '/') joined += '/';
    joined += t;
  }
  std::string target = real_path(joined);
  if (target.empty() || !is_under(target, base)) return out;
  out.status = path_status::ok;
  out.path = std::move(target);
  return out;
}

}  // namespace rodeo::mw::static_files
