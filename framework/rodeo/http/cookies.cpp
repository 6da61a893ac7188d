#include "rodeo/http/cookies.hpp"

#include <limits>
#include <stdexcept>

#include "rodeo/http/date.hpp"
#include "rodeo/http/lex.hpp"

namespace rodeo::http {

namespace {

/// Bytes cow_cookie:parse_cookie refuses in names and values.
constexpr bool is_forbidden(char c) noexcept {
  return c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim_spaces(std::string_view s) noexcept {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::string at(std::size_t offset) { return " at offset " + std::to_string(offset); }

/// The shared parser: the error message, or nothing on success.
std::optional<std::string> parse_impl(std::string_view h, cookie_pairs& out) {
  std::size_t i = 0;
  while (i < h.size()) {
    const char c = h[i];
    if (c == ' ' || c == '\t' || c == ',' || c == ';') {
      ++i;
      continue;
    }
    // A name: up to '=' (then a value) or ';' or the end (then a nameless value).
    const auto start = i;
    std::size_t j = i;
    for (; j < h.size() && h[j] != '=' && h[j] != ';'; ++j) {
      if (h[j] == ',') return "invalid cookie header: ',' in a cookie name" + at(j);
      if (is_forbidden(h[j])) return "invalid cookie header: control byte in a cookie name" + at(j);
    }
    const auto name = h.substr(start, j - start);
    if (j == h.size() || h[j] == ';') {
      out.emplace_back(std::string{}, std::string{trim_spaces(name)});
      i = j;
      continue;
    }
    if (trim_spaces(name).empty()) return "invalid cookie header: empty cookie name" + at(start);
    std::size_t k = j + 1;
    for (; k < h.size() && h[k] != ';'; ++k)
      if (is_forbidden(h[k]))
        return "invalid cookie header: control byte in a cookie value" + at(k);
    out.emplace_back(std::string{trim_spaces(name)},
                     std::string{trim_spaces(h.substr(j + 1, k - j - 1))});
    i = k;
  }
  return std::nullopt;
}

constexpr char hex_digits[] = "0123456789ABCDEF";

/// `text` for an error message: bytes outside printable ASCII as `\xHH`, so that a message
/// never carries CR, LF or other controls into a log.
std::string printable(std::string_view text) {
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(ch);
    } else {
      out += "\\x";
      out.push_back(hex_digits[c >> 4]);
      out.push_back(hex_digits[c & 0xf]);
    }
  }
  return out;
}

[[noreturn]] void reject(std::string_view what, std::string_view text, std::size_t offset,
                         std::string_view rule) {
  const auto byte = static_cast<unsigned char>(text[offset]);
  throw std::invalid_argument(std::string{what} + " \"" + printable(text) + "\": byte 0x" +
                              hex_digits[byte >> 4] + hex_digits[byte & 0xf] + at(offset) +
                              " is not allowed (" + std::string{rule} + ")");
}

// RFC 6265 §4.1.1: cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
constexpr bool is_cookie_octet(char ch) noexcept {
  const auto c = static_cast<unsigned char>(ch);
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

void check_name(std::string_view name) {
  if (name.empty())
    throw std::invalid_argument("cookie name is empty (RFC 6265 §4.1.1: it is a token)");
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!detail::is_tchar(name[i]))
      reject("cookie name", name, i, "RFC 6265 §4.1.1: a cookie name is a token");
}

void check_value(std::string_view value) {
  auto inner = value;
  std::size_t shift = 0;
  if (inner.size() >= 2 && inner.front() == '"' && inner.back() == '"') {
    inner = inner.substr(1, inner.size() - 2);
    shift = 1;
  }
  for (std::size_t i = 0; i < inner.size(); ++i)
    if (!is_cookie_octet(inner[i]))
      reject("cookie value", value, i + shift,
             "RFC 6265 §4.1.1: cookie-octet excludes controls, space, '\"', ',', ';' and '\\'; "
             "encode the value, e.g. with urlencode");
}

void check_domain(std::string_view domain) {
  for (std::size_t i = 0; i < domain.size(); ++i) {
    const char c = domain[i];
    if (!detail::is_alnum(c) && c != '-' && c != '.')
      reject("cookie domain", domain, i, "RFC 6265 §4.1.1: letters, digits, '-' and '.'");
  }
}

void check_path(std::string_view path) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto c = static_cast<unsigned char>(path[i]);
    if (c < 0x20 || c == 0x7f || c == ';')
      reject("cookie path", path, i, "RFC 6265 §4.1.1: any CHAR except controls and ';'");
  }
}

std::string_view canonical_same_site(std::string_view s) {
  for (std::string_view v : {"Strict", "Lax", "None"})
    if (detail::iequals(s, v)) return v;
  throw std::invalid_argument("cookie same_site \"" + printable(s) +
                              "\" is not one of Strict, Lax, None (or empty for none)");
}

}  // namespace

cookie_pairs parse_cookies(std::string_view cookie_header) {
  cookie_pairs out;
  if (auto err = parse_impl(cookie_header, out)) throw std::invalid_argument(*err);
  return out;
}

std::optional<cookie_pairs> try_parse_cookies(std::string_view cookie_header) {
  cookie_pairs out;
  if (parse_impl(cookie_header, out)) return std::nullopt;
  return out;
}

std::string set_cookie_value(std::string_view name, std::string_view value,
                             const cookie_options& opts, std::time_t now) {
  check_name(name);
  check_value(value);
  check_domain(opts.domain);
  check_path(opts.path);
  const auto same_site =
      opts.same_site.empty() ? std::string_view{} : canonical_same_site(opts.same_site);
  if (same_site == "None" && !opts.secure)
    throw std::invalid_argument(
        "cookie \"" + std::string{name} +
        "\": SameSite=None needs secure = true (user agents drop it otherwise)");
  if (opts.max_age && *opts.max_age < 0)
    throw std::invalid_argument("cookie \"" + std::string{name} + "\": max_age " +
                                std::to_string(*opts.max_age) + " is negative (use 0 to delete)");

  std::string out;
  out.append(name).append("=").append(value);
  if (opts.max_age) {
    // Max-Age=0 deletes; Expires in the past does the same for user agents without Max-Age.
    std::time_t expires = 1;
    if (*opts.max_age > 0) {
      const auto limit = std::numeric_limits<std::time_t>::max();
      expires = now > 0 && *opts.max_age > limit - now
                    ? limit
                    : now + static_cast<std::time_t>(*opts.max_age);
    }
    out.append("; Expires=").append(format_http_date(expires));
    out.append("; Max-Age=").append(std::to_string(*opts.max_age));
  }
  if (!opts.domain.empty()) out.append("; Domain=").append(opts.domain);
  if (!opts.path.empty()) out.append("; Path=").append(opts.path);
  if (opts.secure) out.append("; Secure");
  if (opts.http_only) out.append("; HttpOnly");
  if (!same_site.empty()) out.append("; SameSite=").append(same_site);
  return out;
}

std::string set_cookie_value(std::string_view name, std::string_view value,
                             const cookie_options& opts) {
  return set_cookie_value(name, value, opts, std::time(nullptr));
}

}  // namespace rodeo::http
