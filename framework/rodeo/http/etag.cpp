#include "rodeo/http/etag.hpp"

#include "rodeo/http/lex.hpp"

namespace rodeo::http {

namespace {

using detail::cursor;

/// etagc = %x21 / %x23-7E / obs-text
constexpr bool is_etagc(char ch) noexcept {
  const auto c = static_cast<unsigned char>(ch);
  return c == 0x21 || (c >= 0x23 && c <= 0x7e) || c >= 0x80;
}

bool entity_tag_at(cursor& c, entity_tag& out) {
  out.weak = c.eat(std::string_view{"W/"});
  if (!c.eat('"')) return false;
  out.opaque.assign(c.span(is_etagc));
  return c.eat('"');
}

std::optional<etag_list> parse_list(std::string_view value) {
  const auto v = detail::trim_ows(value);
  if (v == "*") return etag_list{true, {}};
  cursor c{v};
  etag_list out;
  for (;;) {
    c.skip_list_separators();
    if (c.done()) break;
    entity_tag t;
    if (!entity_tag_at(c, t) || !c.end_of_element()) return std::nullopt;
    out.tags.push_back(std::move(t));
  }
  if (out.tags.empty()) return std::nullopt;
  return out;
}

}  // namespace

std::optional<entity_tag> parse_etag(std::string_view value) {
  cursor c{detail::trim_ows(value)};
  entity_tag t;
  if (!entity_tag_at(c, t) || !c.done()) return std::nullopt;
  return t;
}

std::optional<etag_list> parse_if_match(std::string_view value) { return parse_list(value); }

std::optional<etag_list> parse_if_none_match(std::string_view value) { return parse_list(value); }

std::string to_string(const entity_tag& tag) {
  std::string out = tag.weak ? "W/\"" : "\"";
  out += tag.opaque;
  out.push_back('"');
  return out;
}

bool etag_strong_match(const entity_tag& a, const entity_tag& b) noexcept {
  return !a.weak && !b.weak && a.opaque == b.opaque;
}

bool etag_weak_match(const entity_tag& a, const entity_tag& b) noexcept {
  return a.opaque == b.opaque;
}

}  // namespace rodeo::http
