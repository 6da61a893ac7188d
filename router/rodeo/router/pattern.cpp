#include "rodeo/router/pattern.hpp"

#include <algorithm>

#include "rodeo/router/split.hpp"

namespace rodeo::router {

namespace {

constexpr std::string_view rest_marker = "[...]";

bool rest_at(std::string_view text, std::size_t i) { return text.substr(i, 5) == rest_marker; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Resolves optional groups by rewriting the text, as Cowboy does: "a[x]b" becomes "ab" and
// "axb", the first optional group at a time, so nested groups and groups that hold "[...]"
// need no special case. The shorter alternative comes first.
bool expand(const std::string& text, char sep, std::vector<std::string>& out, std::string& err) {
  for (std::size_t j = 0; j < text.size(); ++j) {
    if (text[j] == ']') {
      err = "']' without a matching '['";
      return false;
    }
    if (text[j] != '[') continue;
    if (rest_at(text, j)) {
      j += rest_marker.size() - 1;
      continue;
    }
    bool starts_segment = j == 0 || text[j - 1] == sep;
    bool before_sep = j + 1 < text.size() && text[j + 1] == sep;
    if (!starts_segment && !before_sep) {
      err =
          std::string{
              "'[' in the middle of a segment: an optional group starts a segment "
              "or begins with '"} +
          sep + "'";
      return false;
    }
    std::size_t depth = 1, k = j + 1;
    for (; k < text.size(); ++k) {
      if (text[k] == '[')
        ++depth;
      else if (text[k] == ']' && --depth == 0)
        break;
    }
    if (k == text.size()) {
      err = "unclosed '['";
      return false;
    }
    if (k == j + 1) {
      err = "empty optional group '[]'";
      return false;
    }
    std::string prefix = text.substr(0, j), inner = text.substr(j + 1, k - j - 1),
                rest = text.substr(k + 1);
    return expand(prefix + rest, sep, out, err) && expand(prefix + inner + rest, sep, out, err);
  }
  if (out.size() == max_alternatives) {
    err = "too many optional groups (more than " + std::to_string(max_alternatives) +
          " alternatives)";
    return false;
  }
  out.push_back(text);
  return true;
}

// Parses one alternative (no optional groups left, "[...]" aside) into segments.
bool parse_alternative(std::string_view text, bool host, segments& out, std::string& err) {
  const char sep = host ? '.' : '/';
  std::string lit;
  auto flush = [&]() {
    if (lit.empty()) return true;
    segment s{segment_kind::literal, {}};
    if (host) {
      std::transform(lit.begin(), lit.end(), lit.begin(), lower);
      s.text = std::move(lit);
    } else {
      if (!percent_decode(lit, s.text)) {
        err = "invalid percent-encoding in segment \"" + lit + "\" (write '%' as %25)";
        return false;
      }
      // Requests are matched after dot-segment removal (RFC 3986 §5.2.4): such a segment
      // could never match.
      if (s.text == "." || s.text == "..") {
        err = "segment \"" + lit + "\" never matches (request paths are normalized)";
        return false;
      }
    }
    out.push_back(std::move(s));
    lit.clear();
    return true;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == sep) {
      if (!flush()) return false;
      ++i;
    } else if (rest_at(text, i)) {
      if (!flush()) return false;
      if (host && !out.empty()) {
        err = "'[...]' must be the left-most part of a host pattern";
        return false;
      }
      out.push_back({segment_kind::rest, {}});
      i += rest_marker.size();
      if (!host && text.find_first_not_of(sep, i) != std::string_view::npos) {
        err = "'[...]' must end the route: nothing may follow it";
        return false;
      }
    } else if (c == '[' || c == ']') {
      err = std::string{"unexpected '"} + c + "'";  // unreachable: expand() consumed them
      return false;
    } else if (c == ':' && lit.empty()) {
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != sep && text[j] != '[' && text[j] != ']') ++j;
      std::string_view name = text.substr(i + 1, j - i - 1);
      if (name.empty()) {
        err = "empty binding name after ':'";
        return false;
      }
      if (name == "_")
        out.push_back({segment_kind::any, {}});
      else
        out.push_back({segment_kind::binding, std::string{name}});
      i = j;
    } else if (c == ':' && host) {
      err =
          "':' in a host pattern: ports are not part of host patterns (they are ignored "
          "when matching)";
      return false;
    } else {
      lit += c;
      ++i;
    }
  }
  if (!flush()) return false;
  // Hosts are matched from the top-level label down.
  if (host) std::reverse(out.begin(), out.end());
  return true;
}

result<pattern> parse(std::string_view text, bool host) {
  auto fail = [&](const std::string& what) {
    return failure{std::string{host ? "host" : "route"} + " \"" + std::string{text} +
                   "\": " + what};
  };
  pattern p;
  if (text == "_") {
    p.kind = pattern_kind::any;
    return p;
  }
  if (!host) {
    if (text == "*") {
      p.kind = pattern_kind::star;
      return p;
    }
    if (text.empty() || text.front() != '/')
      return fail("a path route starts with '/' (or is \"_\" or \"*\")");
  }
  std::vector<std::string> texts;
  std::string err;
  if (!expand(std::string{text}, host ? '.' : '/', texts, err)) return fail(err);
  p.alternatives.reserve(texts.size());
  for (const auto& t : texts) {
    segments segs;
    if (!parse_alternative(t, host, segs, err)) return fail(err);
    p.alternatives.push_back(std::move(segs));
  }
  return p;
}

}  // namespace

std::vector<std::string> pattern::names() const {
  std::vector<std::string> out;
  for (const auto& alt : alternatives)
    for (const auto& s : alt)
      if (s.kind == segment_kind::binding && std::find(out.begin(), out.end(), s.text) == out.end())
        out.push_back(s.text);
  return out;
}

result<pattern> parse_host_pattern(std::string_view text) { return parse(text, true); }

result<pattern> parse_path_pattern(std::string_view text) { return parse(text, false); }

std::string to_string(const segments& alternative, bool host) {
  std::string out;
  auto render = [&](const segment& s) {
    switch (s.kind) {
      case segment_kind::literal:
        out += s.text;
        break;
      case segment_kind::binding:
        out += ':' + s.text;
        break;
      case segment_kind::any:
        out += ":_";
        break;
      case segment_kind::rest:
        out += rest_marker;
        break;
    }
  };
  if (host) {
    for (auto i = alternative.rbegin(); i != alternative.rend(); ++i) {
      if (i != alternative.rbegin()) out += '.';
      render(*i);
    }
  } else {
    if (alternative.empty()) out = "/";
    for (const auto& s : alternative) {
      out += '/';
      render(s);
    }
  }
  return out;
}

}  // namespace rodeo::router
