#include "rodeo/internal/stream/early_hints.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "rodeo/http/lex.hpp"

namespace rodeo {

namespace {

// The destination a media type implies, or empty when it tells nothing (`*/*`).
std::string_view from_media_type(std::string_view accept) {
  const std::string a = rodeo::http::detail::to_lower(accept);
  if (a.find("text/css") != std::string::npos) return "style";
  if (a.find("javascript") != std::string::npos || a.find("ecmascript") != std::string::npos)
    return "script";
  if (a.find("image/") != std::string::npos) return "image";
  if (a.find("font/") != std::string::npos || a.find("application/font") != std::string::npos)
    return "font";
  if (a.find("application/json") != std::string::npos) return "fetch";
  return {};
}

struct by_extension {
  std::string_view ext, dest;
};
constexpr std::array<by_extension, 17> extensions = {{
    {"css", "style"},
    {"js", "script"},
    {"mjs", "script"},
    {"png", "image"},
    {"jpg", "image"},
    {"jpeg", "image"},
    {"gif", "image"},
    {"webp", "image"},
    {"avif", "image"},
    {"svg", "image"},
    {"ico", "image"},
    {"woff2", "font"},
    {"woff", "font"},
    {"ttf", "font"},
    {"otf", "font"},
    {"json", "fetch"},
    {"txt", "fetch"},
}};

std::string_view from_path(std::string_view path) {
  const auto slash = path.rfind('/');
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  const std::string ext = rodeo::http::detail::to_lower(path.substr(dot + 1));
  for (const auto& e : extensions)
    if (e.ext == ext) return e.dest;
  return {};
}

}  // namespace

std::string_view preload_destination(std::string_view path, const headers& fields) {
  if (auto accept = find_header(fields, "accept"))
    if (auto d = from_media_type(*accept); !d.empty()) return d;
  if (auto d = from_path(path); !d.empty()) return d;
  return "fetch";
}

std::string preload_link(std::string_view path, std::string_view qs, const headers& fields) {
  const auto dest = preload_destination(path, fields);
  // RFC 8288 §3.1: the target is a URI-reference in angle brackets; a push path holds no
  // '>' unencoded (validate_push refuses spaces and controls, and '>' is not a pchar).
  std::string link = "<" + std::string{path};
  if (!qs.empty()) link += "?" + std::string{qs};
  link += ">; rel=preload; as=" + std::string{dest};
  if (dest == "font") link += "; crossorigin";
  return link;
}

bool early_hints::add(std::string link) {
  if (std::find(sent_or_pending_.begin(), sent_or_pending_.end(), link) != sent_or_pending_.end())
    return false;
  if (!pending_.empty()) pending_ += ", ";
  pending_ += link;
  sent_or_pending_.push_back(std::move(link));
  return true;
}

headers early_hints::take() {
  headers out;
  if (!pending_.empty()) out.emplace_back("link", std::exchange(pending_, {}));
  return out;
}

}  // namespace rodeo
