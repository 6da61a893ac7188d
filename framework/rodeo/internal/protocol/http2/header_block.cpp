#include "rodeo/internal/protocol/http2/header_block.hpp"

#include <algorithm>
#include <array>

namespace rodeo::http2::detail {

namespace {

bool has_upper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

nghttp2_nv make_nv(std::string_view name, std::string_view value) {
  // nghttp2 copies names and values on submit; the casts only drop const for its C API.
  return nghttp2_nv{reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
                    reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(),
                    value.size(), NGHTTP2_NV_FLAG_NONE};
}

}  // namespace

bool is_connection_specific(std::string_view name) {
  static constexpr std::array<std::string_view, 6> forbidden{
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te"};
  return std::find(forbidden.begin(), forbidden.end(), name) != forbidden.end();
}

std::string_view header_block::own(std::string s) {
  owned_.push_back(std::move(s));
  return owned_.back();
}

void header_block::add(std::string_view name, std::string_view value) {
  if (has_upper(name)) name = own(lower(name));
  nva_.push_back(make_nv(name, value));
}

void header_block::add_owned(std::string_view name, std::string value) {
  add(name, own(std::move(value)));
}

void header_block::add_fields(const headers& fields, std::string_view skip) {
  for (const auto& [name, value] : fields) {
    std::string_view n = name;
    if (has_upper(n)) n = own(lower(n));
    if (n.empty() || n.front() == ':' || is_connection_specific(n) || (!skip.empty() && n == skip))
      continue;
    nva_.push_back(make_nv(n, value));
  }
}

}  // namespace rodeo::http2::detail
