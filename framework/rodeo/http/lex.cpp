#include "rodeo/http/lex.hpp"

#include <charconv>
#include <limits>

namespace rodeo::http::detail {

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = to_lower(c);
  return out;
}

void split_authority(std::string_view auth, std::string& host, std::uint16_t& port,
                     std::uint16_t default_port) {
  port = default_port;
  std::string_view h = auth;
  if (!auth.empty() && auth.front() == '[') {
    auto close = auth.find(']');
    h = auth.substr(0, close == std::string_view::npos ? auth.size() : close + 1);
    if (close != std::string_view::npos && close + 1 < auth.size() && auth[close + 1] == ':') {
      auto p = auth.substr(close + 2);
      std::from_chars(p.data(), p.data() + p.size(), port);
    }
  } else if (auto colon = auth.rfind(':'); colon != std::string_view::npos) {
    h = auth.substr(0, colon);
    auto p = auth.substr(colon + 1);
    std::from_chars(p.data(), p.data() + p.size(), port);
  }
  host = to_lower(h);
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  return true;
}

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> parse_u64(std::string_view digits) noexcept {
  if (digits.empty()) return std::nullopt;
  constexpr auto max = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t v = 0;
  for (char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (max - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

bool cursor::eat(char c) noexcept {
  if (done() || s_[i_] != c) return false;
  ++i_;
  return true;
}

bool cursor::eat(std::string_view lit) noexcept {
  if (s_.substr(i_, lit.size()) != lit) return false;
  i_ += lit.size();
  return true;
}

bool cursor::eat_ci(std::string_view lit) noexcept {
  if (!iequals(s_.substr(i_, lit.size()), lit)) return false;
  i_ += lit.size();
  return true;
}

void cursor::skip_ows() noexcept {
  while (!done() && is_ows(s_[i_])) ++i_;
}

void cursor::skip_list_separators() noexcept {
  while (!done() && (is_ows(s_[i_]) || s_[i_] == ',')) ++i_;
}

bool cursor::end_of_element() noexcept {
  skip_ows();
  return done() || eat(',');
}

std::string_view cursor::token() noexcept {
  return span([](char c) { return is_tchar(c); });
}

bool cursor::quoted_string(std::string& out) {
  if (peek() != '"') return false;
  std::string value;
  for (auto j = i_ + 1; j < s_.size(); ++j) {
    const auto c = static_cast<unsigned char>(s_[j]);
    if (c == '"') {
      i_ = j + 1;
      out = std::move(value);
      return true;
    }
    if (c == '\\') {
      // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
      if (++j == s_.size()) return false;
      const auto e = static_cast<unsigned char>(s_[j]);
      if (e != '\t' && e < 0x20) return false;
      if (e == 0x7f) return false;
      value.push_back(static_cast<char>(e));
      continue;
    }
    // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    value.push_back(static_cast<char>(c));
  }
  return false;
}

bool cursor::token_or_quoted(std::string& out) {
  if (peek() == '"') return quoted_string(out);
  const auto t = token();
  if (t.empty()) return false;
  out.assign(t);
  return true;
}

bool cursor::parameter(std::string& name, std::string& value) {
  const auto n = token();
  if (n.empty() || !eat('=')) return false;
  name = to_lower(n);
  return token_or_quoted(value);
}

std::optional<int> cursor::qvalue() noexcept {
  // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  const auto start = i_;
  const char lead = peek();
  if (lead != '0' && lead != '1' && lead != '.') return std::nullopt;
  if (lead != '.') ++i_;
  int frac = 0;
  int n = 0;
  if (eat('.')) {
    while (!done() && is_digit(s_[i_]) && n < 3) {
      frac = frac * 10 + (s_[i_] - '0');
      ++n;
      ++i_;
    }
    if (lead == '.' && n == 0) {
      i_ = start;
      return std::nullopt;
    }
  }
  for (int k = n; k < 3; ++k) frac *= 10;
  // A fourth digit, or "1.5", is not a qvalue.
  if ((!done() && is_digit(s_[i_])) || (lead == '1' && frac != 0)) {
    i_ = start;
    return std::nullopt;
  }
  return lead == '1' ? 1000 : frac;
}

}  // namespace rodeo::http::detail
