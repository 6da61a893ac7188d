#include "rodeo/router/match.hpp"

#include <algorithm>
#include <any>
#include <optional>
#include <span>
#include <vector>

#include "rodeo/router/split.hpp"

namespace rodeo::router {

namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);

// A binding while matching: views into the routes and the request, copied out on success.
struct bound {
  std::string_view name;
  std::string_view text;
  std::any value;  // empty until a constraint converts the text
};
using bound_list = std::vector<bound>;

bound* find(bound_list& binds, std::string_view name) {
  for (auto& b : binds)
    if (b.name == name) return &b;
  return nullptr;
}

// `lower` is a host pattern literal (lowercased at compile time); hosts are
// case-insensitive (RFC 3986 §3.2.2).
bool host_equal(std::string_view lower, std::string_view label) {
  if (lower.size() != label.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    char c = label[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// Matches `tokens` against one alternative. On success `rest_from` is where "[...]" began
// (npos without one). Appends new bindings to `binds`; on failure it may leave some behind.
bool match_list(const segments& alt, std::span<const std::string_view> tokens, bool host,
                bound_list& binds, std::size_t& rest_from) {
  std::size_t i = 0;
  for (const auto& s : alt) {
    if (s.kind == segment_kind::rest) {
      rest_from = i;
      return true;
    }
    if (i == tokens.size()) return false;
    std::string_view t = tokens[i];
    switch (s.kind) {
      case segment_kind::literal:
        if (host ? !host_equal(s.text, t) : s.text != t) return false;
        break;
      case segment_kind::binding:
        // A name bound twice must see the same text twice (Cowboy compares before
        // constraints run; so do we, on the text).
        if (auto* b = find(binds, s.text)) {
          if (b->text != t) return false;
        } else {
          binds.push_back({s.text, t, {}});
        }
        break;
      case segment_kind::any:
      case segment_kind::rest:
        break;
    }
    ++i;
  }
  rest_from = npos;
  return i == tokens.size();
}

// Constraints on bindings the alternative did not bind are skipped (an optional group that
// was left out), as in Cowboy.
bool check(const fields& fs, bound_list& binds) {
  for (const auto& f : fs)
    if (auto* b = find(binds, f.name); b && !apply_constraints(f.constraints, b->text, b->value))
      return false;
  return true;
}

match_result success(const detail::compiled_path& p, bound_list& binds, path_tokens host_info,
                     std::span<const std::string_view> path_info) {
  match_result r;
  r.status = match_status::ok;
  r.target = p.target;
  r.rule = &p;
  for (auto& b : binds) {
    std::string text{b.text};
    if (b.value.has_value())
      r.bindings.emplace(std::string{b.name}, binding{std::move(text), std::move(b.value)});
    else
      r.bindings.emplace(std::string{b.name}, binding{std::move(text)});
  }
  r.host_info = std::move(host_info);
  r.path_info.assign(path_info.begin(), path_info.end());
  return r;
}

match_result failed(match_status s) {
  match_result r;
  r.status = s;
  return r;
}

match_result match_paths(const detail::compiled_host& h, const bound_list& host_binds,
                         path_tokens host_info, std::string_view path) {
  const bool star = path == "*";
  std::optional<path_segments> split;
  std::span<const std::string_view> segs;
  if (!star) {
    split.emplace(path);
    if (!*split) return failed(match_status::bad_path);
    segs = split->segments();
  }
  bound_list binds;
  binds.reserve(host_binds.size() + 4);
  for (const auto& p : h.paths) {
    switch (p.pat.kind) {
      case pattern_kind::any:
        binds = host_binds;
        if (check(p.constraints, binds)) return success(p, binds, std::move(host_info), {});
        break;
      case pattern_kind::star:
        binds = host_binds;
        if (star && check(p.constraints, binds)) return success(p, binds, std::move(host_info), {});
        break;
      case pattern_kind::list:
        if (star) break;
        for (const auto& alt : p.pat.alternatives) {
          binds = host_binds;
          std::size_t rest = npos;
          if (match_list(alt, segs, false, binds, rest) && check(p.constraints, binds))
            return success(p, binds, std::move(host_info),
                           rest == npos ? std::span<const std::string_view>{} : segs.subspan(rest));
        }
        break;
    }
  }
  return failed(match_status::no_path);
}

}  // namespace

std::string_view to_string(match_status s) noexcept {
  switch (s) {
    case match_status::ok:
      return "ok";
    case match_status::bad_host:
      return "bad_host";
    case match_status::no_path:
      return "no_path";
    case match_status::bad_path:
      return "bad_path";
  }
  return "unknown";
}

int http_status(match_status s) noexcept {
  switch (s) {
    case match_status::ok:
      return 0;
    case match_status::no_path:
      return 404;
    case match_status::bad_host:
    case match_status::bad_path:
      return 400;
  }
  return 400;
}

match_result match(const routes& routes, std::string_view host, std::string_view path) {
  const std::string_view bare = strip_port(host);
  // Split lazily: a table whose first rule is "_" never needs the labels.
  std::vector<std::string_view> labels;  // right to left, the order patterns are stored in
  std::optional<bool> labels_ok;
  bound_list binds;
  for (const auto& h : routes.hosts()) {
    binds.clear();
    std::size_t rest = npos;
    if (h.pat.kind != pattern_kind::any) {
      if (!labels_ok) {
        labels_ok = split_host(bare, labels);
        std::reverse(labels.begin(), labels.end());
      }
      if (!*labels_ok) continue;
      bool found = false;
      for (const auto& alt : h.pat.alternatives) {
        binds.clear();
        if (match_list(alt, labels, true, binds, rest) && check(h.constraints, binds)) {
          found = true;
          break;
        }
      }
      if (!found) continue;
    } else if (!check(h.constraints, binds)) {
      continue;
    }
    // This host rule owns the request: its path rules decide, no other host rule is tried.
    path_tokens host_info;
    // labels are right to left and "[...]" took labels[rest..]: hand them back left to right.
    if (rest != npos)
      host_info.assign(labels.rbegin(), labels.rend() - static_cast<std::ptrdiff_t>(rest));
    return match_paths(h, binds, std::move(host_info), path);
  }
  return failed(match_status::bad_host);
}

}  // namespace rodeo::router
