#include "rodeo/http/qs.hpp"

#include <limits>

#include "rodeo/http/lex.hpp"

namespace rodeo::http {

namespace {

int unhex(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes into `out`; on a bad escape returns its offset in `s`.
std::optional<std::size_t> decode_into(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      const int hi = i + 1 < s.size() ? unhex(s[i + 1]) : -1;
      const int lo = i + 2 < s.size() ? unhex(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) return i;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return std::nullopt;
}

std::string bad_escape(std::string_view what, std::size_t offset) {
  return std::string{what} + ": '%' at offset " + std::to_string(offset) +
         " is not followed by two hex digits";
}

/// The shared parser: the error message, or nothing on success.
std::optional<std::string> parse_qs_impl(std::string_view qs, std::size_t max_keys, qs_pairs& out) {
  std::size_t offset = 0;
  while (offset <= qs.size()) {
    auto amp = qs.find('&', offset);
    if (amp == std::string_view::npos) amp = qs.size();
    const auto pair = qs.substr(offset, amp - offset);
    const auto pair_offset = offset;
    offset = amp + 1;
    if (pair.empty()) continue;
    if (out.size() == max_keys)
      return "invalid query string: more than " + std::to_string(max_keys) + " keys";
    const auto eq = pair.find('=');
    // Cowboy rejects an empty name before '=' ("=b"), not a name without '='.
    if (eq == 0)
      return "invalid query string: empty name before '=' at offset " + std::to_string(pair_offset);
    std::string name;
    std::string value;
    const auto raw_name = pair.substr(0, eq);
    if (auto bad = decode_into(raw_name, name))
      return bad_escape("invalid query string", pair_offset + *bad);
    if (eq != std::string_view::npos) {
      if (auto bad = decode_into(pair.substr(eq + 1), value))
        return bad_escape("invalid query string", pair_offset + eq + 1 + *bad);
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return std::nullopt;
}

}  // namespace

qs_pairs parse_qs(std::string_view qs, std::size_t max_keys) {
  qs_pairs out;
  if (auto err = parse_qs_impl(qs, max_keys, out)) throw std::invalid_argument(*err);
  return out;
}

std::optional<qs_pairs> try_parse_qs(std::string_view qs, std::size_t max_keys) {
  qs_pairs out;
  if (parse_qs_impl(qs, max_keys, out)) return std::nullopt;
  return out;
}

std::string urlencode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (detail::is_alnum(ch) || ch == '-' || ch == '.' || ch == '_') {
      out.push_back(ch);
    } else if (ch == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xf]);
    }
  }
  return out;
}

std::string urldecode(std::string_view s) {
  std::string out;
  if (auto bad = decode_into(s, out))
    throw std::invalid_argument(bad_escape("invalid urlencoded text", *bad));
  return out;
}

std::optional<std::string> try_urldecode(std::string_view s) {
  std::string out;
  if (decode_into(s, out)) return std::nullopt;
  return out;
}

std::string build_qs(const qs_pairs& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out += urlencode(name);
    out.push_back('=');
    out += urlencode(value);
  }
  return out;
}

// --- constraints ---------------------------------------------------------------------------

std::optional<std::any> constraint::operator()(const std::any& value) const {
  if (ptr_ != nullptr) return ptr_(value);
  if (custom_ && custom_->fn) return custom_->fn(value);
  return std::nullopt;
}

namespace detail {

std::optional<std::any> int_constraint(const std::any& value) {
  if (const auto* i = std::any_cast<std::int64_t>(&value)) return *i;
  const auto* s = std::any_cast<std::string>(&value);
  if (s == nullptr || s->empty()) return std::nullopt;
  // Erlang's binary_to_integer, which Cowboy uses, takes a leading '+' or '-'.
  std::string_view digits{*s};
  const bool negative = digits.front() == '-';
  if (digits.front() == '+' || negative) digits.remove_prefix(1);
  const auto magnitude = parse_u64(digits);
  if (!magnitude) return std::nullopt;
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (negative) {
    if (*magnitude > max + 1) return std::nullopt;
    // -(2^63) does not fit in a positive int64_t: build it from the unsigned value.
    return static_cast<std::int64_t>(0 - *magnitude);
  }
  if (*magnitude > max) return std::nullopt;
  return static_cast<std::int64_t>(*magnitude);
}

std::optional<std::any> nonempty_constraint(const std::any& value) {
  if (const auto* s = std::any_cast<std::string>(&value); s != nullptr && s->empty())
    return std::nullopt;
  return value;
}

}  // namespace detail

// --- match_qs ------------------------------------------------------------------------------

qs_error::qs_error(std::string field, std::string reason)
    : std::invalid_argument("query string field '" + field + "': " + reason),
      field_(std::move(field)),
      reason_(std::move(reason)) {}

qs_values match_qs(std::string_view qs, const std::vector<qs_field>& fields) {
  const auto pairs = parse_qs(qs);
  qs_values out;
  for (const auto& field : fields) {
    std::vector<const std::string*> found;
    for (const auto& [name, value] : pairs)
      if (name == field.name) found.push_back(&value);
    if (found.empty()) {
      if (!field.default_value) throw qs_error(field.name, "missing and has no default");
      out.insert_or_assign(field.name, *field.default_value);
      continue;
    }
    if (found.size() > 1) {
      // Cowboy collects repeated keys into a list, which its constraints then reject.
      if (!field.constraints.empty())
        throw qs_error(field.name, "given " + std::to_string(found.size()) +
                                       " times but its constraints need a single value");
      std::vector<std::string> values;
      for (const auto* v : found) values.push_back(*v);
      out.insert_or_assign(field.name, std::move(values));
      continue;
    }
    std::any value = *found.front();
    for (const auto& c : field.constraints) {
      auto next = c(value);
      if (!next)
        throw qs_error(field.name, "rejected by constraint '" + std::string{c.name()} + "'");
      value = std::move(*next);
    }
    out.insert_or_assign(field.name, std::move(value));
  }
  return out;
}

}  // namespace rodeo::http
