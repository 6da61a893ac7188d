#include "rodeo/http/accept.hpp"

#include <algorithm>

#include "rodeo/http/lex.hpp"

namespace rodeo::http {

namespace {

using detail::cursor;

/// 0 for `*/*`, 1 for `type/*`, 2 for `type/subtype`.
int specificity(const media_range& m) noexcept {
  if (m.type == "*") return 0;
  return m.subtype == "*" ? 1 : 2;
}

/// media-range = ( "*/*" / ( type "/*" ) / ( type "/" subtype ) ) parameters [ weight ]
bool media_range_at(cursor& c, media_range& m) {
  const auto type = c.token();
  if (type.empty()) return false;
  if (c.eat('/')) {
    const auto sub = c.token();
    if (sub.empty()) return false;
    m.type = detail::to_lower(type);
    m.subtype = detail::to_lower(sub);
    // RFC 9110 §12.5.1: a wildcard type takes a wildcard subtype.
    if (m.type == "*" && m.subtype != "*") return false;
  } else if (type == "*") {
    // Some user agents send "*" for "*/*"; Cowboy takes it.
    m.type = m.subtype = "*";
  } else {
    return false;
  }
  bool after_q = false;
  for (;;) {
    c.skip_ows();
    if (!c.eat(';')) return true;
    c.skip_ows();
    // RFC 9110 §5.6.6: `parameters = *( OWS ";" OWS [ parameter ] )`, so ";;" is empty.
    if (c.done() || c.peek() == ',' || c.peek() == ';') continue;
    // RFC 9110 §12.4.2: weight = OWS ";" OWS "q=" qvalue, "q" in any case.
    if (!after_q && c.eat_ci("q=")) {
      const auto q = c.qvalue();
      if (!q) return false;
      m.quality = *q;
      after_q = true;
      continue;
    }
    std::string name;
    std::string value;
    if (!after_q) {
      if (!c.parameter(name, value)) return false;
      m.params.emplace_back(std::move(name), std::move(value));
      continue;
    }
    // accept-ext = OWS ";" OWS token [ "=" ( token / quoted-string ) ]
    const auto ext = c.token();
    if (ext.empty()) return false;
    if (c.eat('=') && !c.token_or_quoted(value)) return false;
    m.extensions.emplace_back(detail::to_lower(ext), std::move(value));
  }
}

/// A list of `element [ weight ]`; `read` returns the element's text (empty on failure).
template <class Read>
std::optional<std::vector<weighted_token>> weighted_list(std::string_view value, bool allow_empty,
                                                         Read read) {
  cursor c{value};
  std::vector<weighted_token> out;
  c.skip_list_separators();
  while (!c.done()) {
    const auto text = read(c);
    if (text.empty()) return std::nullopt;
    weighted_token t{detail::to_lower(text), 1000};
    c.skip_ows();
    if (c.eat(';')) {
      c.skip_ows();
      if (!c.eat_ci("q=")) {
        // ';' where ',' belongs (`ISO-8859-1;utf-8;q=0.7`): Cowboy starts the next element.
        out.push_back(std::move(t));
        c.skip_list_separators();
        continue;
      }
      const auto q = c.qvalue();
      if (!q) return std::nullopt;
      t.quality = *q;
    }
    out.push_back(std::move(t));
    if (!c.end_of_element()) return std::nullopt;
    c.skip_list_separators();
  }
  if (out.empty() && !allow_empty) return std::nullopt;
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.quality > b.quality; });
  return out;
}

std::string_view token_at(cursor& c) { return c.token(); }

/// RFC 4647 §2.1: language-range = ( 1*8ALPHA *( "-" 1*8alphanum ) ) / "*"
std::string_view language_range_at(cursor& c) {
  const auto start = c.pos();
  if (c.eat('*')) return c.since(start);
  if (c.span(detail::is_alpha, 8).empty()) return {};
  while (c.eat('-'))
    if (c.span(detail::is_alnum, 8).empty()) return {};
  // A ninth letter or digit makes an over-long subtag.
  if (detail::is_alnum(c.peek())) return {};
  return c.since(start);
}

}  // namespace

std::optional<std::vector<media_range>> parse_accept(std::string_view value) {
  cursor c{value};
  std::vector<media_range> out;
  for (;;) {
    c.skip_list_separators();
    if (c.done()) break;
    media_range m;
    if (!media_range_at(c, m) || !c.end_of_element()) return std::nullopt;
    out.push_back(std::move(m));
  }
  // cowboy_rest:prioritize_accept: by quality, then by how specific the range is.
  std::stable_sort(out.begin(), out.end(), [](const media_range& a, const media_range& b) {
    if (a.quality != b.quality) return a.quality > b.quality;
    const int sa = specificity(a);
    const int sb = specificity(b);
    if (sa != sb) return sa > sb;
    return a.params.size() > b.params.size();
  });
  return out;
}

std::optional<std::vector<weighted_token>> parse_accept_charset(std::string_view value) {
  return weighted_list(value, false, token_at);
}

std::optional<std::vector<weighted_token>> parse_accept_encoding(std::string_view value) {
  return weighted_list(value, true, token_at);
}

std::optional<std::vector<weighted_token>> parse_accept_language(std::string_view value) {
  return weighted_list(value, false, language_range_at);
}

}  // namespace rodeo::http
