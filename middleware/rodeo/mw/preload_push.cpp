#include "rodeo/mw/preload_push.hpp"

#include <algorithm>
#include <cctype>

#include "rodeo/errors.hpp"
#include "rodeo/http/lex.hpp"
#include "rodeo/log.hpp"
#include "rodeo/req.hpp"

namespace rodeo::mw {

namespace {

bool is_ows(char c) { return c == ' ' || c == '\t'; }

void skip_ows(std::string_view s, std::size_t& i) {
  while (i < s.size() && is_ows(s[i])) ++i;
}

// A token or a quoted-string (RFC 9110 §5.6.2, §5.6.4) at `i`; false if neither.
bool read_value(std::string_view s, std::size_t& i, std::string& out) {
  out.clear();
  if (i < s.size() && s[i] == '"') {
    for (++i; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      out += s[i];
    }
    if (i >= s.size()) return false;
    ++i;
    return true;
  }
  while (i < s.size() && s[i] != ';' && s[i] != ',' && !is_ows(s[i])) out += s[i++];
  return !out.empty();
}

// Whether the space-separated relation types of `rel` include "preload" (RFC 8288 §3.3).
bool has_preload(std::string_view rel) {
  std::size_t i = 0;
  while (i < rel.size()) {
    while (i < rel.size() && is_ows(rel[i])) ++i;
    std::size_t end = i;
    while (end < rel.size() && !is_ows(rel[end])) ++end;
    if (rodeo::http::detail::to_lower(rel.substr(i, end - i)) == "preload") return true;
    i = end;
  }
  return false;
}

// The path of `target` when it names a resource of this request's origin; empty if not.
std::string same_origin_path(const req& r, std::string_view target) {
  if (target.substr(0, 2) == "//") return {};  // network-path reference: another authority
  if (target.substr(0, 1) == "/") return std::string{target};
  const std::string origin = r.scheme() + "://" + rodeo::http::detail::to_lower(r.head().authority);
  if (rodeo::http::detail::to_lower(target.substr(0, origin.size())) != origin) return {};
  auto rest = target.substr(origin.size());
  if (rest.empty()) return "/";
  return rest.front() == '/' ? std::string{rest} : std::string{};
}

void push_preloads(req& r, const headers& fields) {
  for (const auto& [name, value] : fields) {
    if (name != "link") continue;
    for (const auto& link : parse_preload_links(value)) {
      if (link.nopush) continue;
      std::string path = same_origin_path(r, link.target);
      if (path.empty()) continue;
      path.resize(std::min(path.find('#'), path.size()));  // a fragment is not sent
      push_options opts;
      if (auto q = path.find('?'); q != std::string::npos) {
        opts.qs = path.substr(q + 1);
        path.resize(q);
      }
      try {
        r.push(path, {{"accept", std::string{accept_for_destination(link.as)}}}, opts);
      } catch (const usage_error& e) {
        // A link the push contract refuses stays a plain preload link for the client.
        log::app()->warn("preload link {} on {} not pushed: {}", link.target, r.path(), e.what());
      }
    }
  }
}

}  // namespace

std::vector<preload_link> parse_preload_links(std::string_view s) {
  std::vector<preload_link> out;
  std::size_t i = 0;
  std::string name, value;
  while (true) {
    skip_ows(s, i);
    while (i < s.size() && s[i] == ',') {  // empty list elements (RFC 9110 §5.6.1)
      ++i;
      skip_ows(s, i);
    }
    if (i >= s.size()) return out;
    if (s[i] != '<') return out;
    const auto close = s.find('>', i);
    if (close == std::string_view::npos) return out;
    preload_link link{std::string{s.substr(i + 1, close - i - 1)}, {}, false};
    bool preload = false;
    i = close + 1;
    skip_ows(s, i);
    while (i < s.size() && s[i] == ';') {
      ++i;
      skip_ows(s, i);
      std::size_t start = i;
      while (i < s.size() && s[i] != '=' && s[i] != ';' && s[i] != ',' && !is_ows(s[i])) ++i;
      name = rodeo::http::detail::to_lower(s.substr(start, i - start));
      skip_ows(s, i);
      value.clear();
      if (i < s.size() && s[i] == '=') {
        ++i;
        skip_ows(s, i);
        if (!read_value(s, i, value)) return out;
      }
      if (name == "rel") preload = has_preload(value);
      if (name == "as") link.as = rodeo::http::detail::to_lower(value);
      if (name == "nopush") link.nopush = true;
      skip_ows(s, i);
    }
    if (i < s.size() && s[i] != ',') return out;
    if (preload) out.push_back(std::move(link));
  }
}

std::string_view accept_for_destination(std::string_view as) {
  // What Chromium and Firefox send for each destination (Fetch's "fetch a resource").
  if (as == "style") return "text/css,*/*;q=0.1";
  if (as == "image") return "image/avif,image/webp,image/*,*/*;q=0.8";
  return "*/*";
}

middleware_ptr preload_push() {
  return make_middleware([](req& r, env&) {
    // A pushed request pushes nothing (RFC 9113 §8.4): its links stay links.
    if (!r.is_pushed())
      r.on_reply([](req& q, int status, headers& fields) {
        // Only a page that is sent pushes its subresources: not an error, not a 304.
        if (status >= 200 && status < 300) push_preloads(q, fields);
      });
    return middleware_result::next;
  });
}

}  // namespace rodeo::mw
