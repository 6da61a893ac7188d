#include "rodeo/http/parse_header.hpp"

#include "rodeo/http/lex.hpp"

namespace rodeo::http {

namespace {

using detail::cursor;

/// A non-empty comma list of elements read by `read` (false on a malformed element).
template <class T, class Read>
std::optional<std::vector<T>> nonempty_list(std::string_view value, Read read) {
  cursor c{value};
  std::vector<T> out;
  for (;;) {
    c.skip_list_separators();
    if (c.done()) break;
    T element;
    if (!read(c, element) || !c.end_of_element()) return std::nullopt;
    out.push_back(std::move(element));
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string_view> media_type::param(std::string_view name) const noexcept {
  for (const auto& [n, v] : params)
    if (n == name) return std::string_view{v};
  return std::nullopt;
}

std::optional<media_type> parse_content_type(std::string_view value) {
  cursor c{detail::trim_ows(value)};
  const auto type = c.token();
  if (type.empty() || !c.eat('/')) return std::nullopt;
  const auto subtype = c.token();
  if (subtype.empty()) return std::nullopt;
  media_type m{detail::to_lower(type), detail::to_lower(subtype), {}};
  // parameters = *( OWS ";" OWS [ parameter ] )
  for (;;) {
    c.skip_ows();
    if (c.done()) return m;
    if (!c.eat(';')) return std::nullopt;
    c.skip_ows();
    if (c.done() || c.peek() == ';') continue;
    std::string name;
    std::string val;
    if (!c.parameter(name, val)) return std::nullopt;
    if (name == "charset") val = detail::to_lower(val);
    m.params.emplace_back(std::move(name), std::move(val));
  }
}

std::optional<std::uint64_t> parse_content_length(std::string_view value) noexcept {
  return detail::parse_u64(detail::trim_ows(value));
}

std::optional<std::vector<cache_directive>> parse_cache_control(std::string_view value) {
  return nonempty_list<cache_directive>(value, [](cursor& c, cache_directive& d) {
    const auto name = c.token();
    if (name.empty()) return false;
    d.name = detail::to_lower(name);
    if (!c.eat('=')) return true;
    std::string v;
    if (!c.token_or_quoted(v)) return false;
    d.value = std::move(v);
    return true;
  });
}

std::optional<std::vector<std::string>> parse_connection(std::string_view value) {
  return nonempty_list<std::string>(value, [](cursor& c, std::string& out) {
    const auto t = c.token();
    out = detail::to_lower(t);
    return !t.empty();
  });
}

std::optional<std::vector<std::string>> parse_upgrade(std::string_view value) {
  return nonempty_list<std::string>(value, [](cursor& c, std::string& out) {
    const auto start = c.pos();
    if (c.token().empty()) return false;
    if (c.eat('/') && c.token().empty()) return false;
    out = detail::to_lower(c.since(start));
    return true;
  });
}

}  // namespace rodeo::http
