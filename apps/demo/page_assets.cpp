#include "page_assets.hpp"

#include <algorithm>
#include <map>

namespace demo {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

// One start tag's name and attributes (lowercase names, raw values), read from `html` at
// `pos` (just after '<'); `pos` ends after the tag's '>'.
struct tag {
  std::string name;
  std::map<std::string, std::string> attrs;
};

tag read_tag(std::string_view html, std::size_t& pos) {
  tag t;
  const auto n = html.size();
  std::size_t start = pos;
  while (pos < n && !is_space(html[pos]) && html[pos] != '>' && html[pos] != '/') ++pos;
  t.name = lowered(html.substr(start, pos - start));
  while (pos < n && html[pos] != '>') {
    if (is_space(html[pos]) || html[pos] == '/') {
      ++pos;
      continue;
    }
    start = pos;
    while (pos < n && !is_space(html[pos]) && html[pos] != '>' && html[pos] != '=' &&
           html[pos] != '/')
      ++pos;
    std::string name = lowered(html.substr(start, pos - start));
    while (pos < n && is_space(html[pos])) ++pos;
    std::string value;
    if (pos < n && html[pos] == '=') {
      ++pos;
      while (pos < n && is_space(html[pos])) ++pos;
      if (pos < n && (html[pos] == '"' || html[pos] == '\'')) {
        const char quote = html[pos++];
        start = pos;
        while (pos < n && html[pos] != quote) ++pos;
        value = std::string(html.substr(start, pos - start));
        if (pos < n) ++pos;
      } else {
        start = pos;
        while (pos < n && !is_space(html[pos]) && html[pos] != '>') ++pos;
        value = std::string(html.substr(start, pos - start));
      }
    }
    if (!name.empty()) t.attrs.emplace(std::move(name), std::move(value));  // first one wins
  }
  if (pos < n) ++pos;
  return t;
}

// The position of `needle` (lowercase) in `hay` from `from`, ignoring ASCII case.
std::size_t find_ci(std::string_view hay, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && lower(hay[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

bool has_token(std::string_view list, std::string_view word) {
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && is_space(list[i])) ++i;
    std::size_t j = i;
    while (j < list.size() && !is_space(list[j])) ++j;
    if (j > i && lowered(list.substr(i, j - i)) == word) return true;
    i = j;
  }
  return false;
}

// A same-origin absolute path ready to push, or "" if the reference is anything else.
std::string pushable(std::string ref) {
  while (!ref.empty() && is_space(ref.front())) ref.erase(ref.begin());
  while (!ref.empty() && is_space(ref.back())) ref.pop_back();
  if (const auto hash = ref.find('#'); hash != std::string::npos) ref.resize(hash);
  // "//host/x" is a network-path reference to another origin (RFC 3986 §4.2).
  if (ref.size() < 2 || ref[0] != '/' || ref[1] == '/') return {};
  for (unsigned char c : ref)
    if (c <= 0x20 || c == 0x7f) return {};
  return ref;
}

}  // namespace

std::vector<std::string> page_assets(std::string_view html) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    ++pos;
    if (html.substr(pos, 3) == "!--") {
      const auto end = html.find("-->", pos + 3);
      if (end == std::string_view::npos) break;
      pos = end + 3;
      continue;
    }
    if (pos >= html.size() || html[pos] == '/' || html[pos] == '!' || html[pos] == '?') continue;
    const tag t = read_tag(html, pos);
    std::string ref;
    auto attr = [&](const char* name) {
      const auto it = t.attrs.find(name);
      return it == t.attrs.end() ? std::string{} : it->second;
    };
    if (t.name == "link" && has_token(attr("rel"), "stylesheet"))
      ref = attr("href");
    else if (t.name == "script" || t.name == "img")
      ref = attr("src");
    if (t.name == "script" || t.name == "style") {
      // Their content is not markup: skip to the end tag.
      const auto end = find_ci(html, "</" + t.name, pos);
      pos = end == std::string_view::npos ? html.size() : end;
    }
    ref = pushable(std::move(ref));
    if (!ref.empty() && std::find(out.begin(), out.end(), ref) == out.end())
      out.push_back(std::move(ref));
  }
  return out;
}

}  // namespace demo
