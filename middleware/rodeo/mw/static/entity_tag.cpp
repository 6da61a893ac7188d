#include "rodeo/mw/static/entity_tag.hpp"

#include "rodeo/mw/static/fields.hpp"

namespace rodeo::mw::static_files {

namespace {

// etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3)
bool etagc(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c == 0x21 || (c >= 0x23 && c <= 0x7E) || c >= 0x80;
}

// Reads one entity-tag at the front of `s`, consuming it.
std::optional<entity_tag> take_tag(std::string_view& s) {
  entity_tag t;
  if (s.substr(0, 2) == "W/") {
    t.weak = true;
    s.remove_prefix(2);
  }
  if (s.empty() || s.front() != '"') return {};
  const auto close = s.find('"', 1);
  if (close == std::string_view::npos) return {};
  const auto opaque = s.substr(1, close - 1);
  for (char c : opaque)
    if (!etagc(c)) return {};
  t.opaque = std::string(opaque);
  s.remove_prefix(close + 1);
  return t;
}

}  // namespace

std::optional<entity_tag> parse_entity_tag(std::string_view text) {
  auto t = take_tag(text);
  if (!t || !text.empty()) return {};
  return t;
}

std::optional<etag_condition> parse_etag_condition(std::string_view text) {
  etag_condition out;
  text = trim_ows(text);
  if (text == "*") {
    out.any = true;
    return out;
  }
  while (true) {
    text = trim_ows(text);
    if (text.empty()) break;
    if (text.front() == ',') {  // empty list element
      text.remove_prefix(1);
      continue;
    }
    auto t = take_tag(text);
    if (!t) return {};
    out.tags.push_back(std::move(*t));
    text = trim_ows(text);
    if (text.empty()) break;
    if (text.front() != ',') return {};
    text.remove_prefix(1);
  }
  if (out.tags.empty()) return {};
  return out;
}

bool strong_match(const entity_tag& a, const entity_tag& b) {
  return !a.weak && !b.weak && a.opaque == b.opaque;
}

bool weak_match(const entity_tag& a, const entity_tag& b) { return a.opaque == b.opaque; }

}  // namespace rodeo::mw::static_files
