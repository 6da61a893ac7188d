#pragma once
/// \file
/// Outgoing field blocks in the shape nghttp2 and nghttp3 take (`nghttp2_nv`, `nghttp3_nv`:
/// the same five members), built from Rodeo's `headers`. Private to the HTTP/2 and HTTP/3
/// engines.

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/headers.hpp"
#include "rodeo/http/lex.hpp"

namespace rodeo::detail {

/// True for the fields HTTP/2 and HTTP/3 forbid because they are connection-specific
/// (RFC 9113 §8.2.2, RFC 9114 §4.2). `te` is included: the engines never send requests, and
/// responses must not carry it.
inline bool is_connection_specific(std::string_view lowercase_name) {
  static constexpr std::array<std::string_view, 6> forbidden{
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te"};
  return std::find(forbidden.begin(), forbidden.end(), lowercase_name) != forbidden.end();
}

/// An outgoing field block. Names are lowercased copies (RFC 9113 §8.2.1, RFC 9114 §4.2:
/// uppercase names make the message malformed); values borrow from the caller and must stay
/// alive until the block was handed to an `nghttp2_submit_*` / `nghttp3_conn_submit_*` call
/// (which copies it).
template <class Nv>
class field_block {
 public:
  // A response block has a handful of fields: one allocation up front instead of the
  // vector's growth steps (1, 2, 4, 8, 16) on every response.
  field_block() { nva_.reserve(16); }
  // The fields point into inline storage: a copied or moved block would point into the old one.
  field_block(const field_block&) = delete;
  field_block& operator=(const field_block&) = delete;

  /// Appends one field as given (pseudo-headers included); `name` is lowercased.
  void add(std::string_view name, std::string_view value) {
    if (has_upper(name)) name = own(http::detail::to_lower(name));
    nva_.push_back(make_nv(name, value));
  }

  /// Appends a field whose value the block owns (numbers, joined paths).
  void add_owned(std::string_view name, std::string value) { add(name, own(std::move(value))); }

  /// Appends a handler's fields: lowercased; pseudo-headers, connection-specific fields and
  /// the field named `skip` (if not empty) are dropped, because the engine owns them.
  void add_fields(const headers& fields, std::string_view skip = {}) {
    for (const auto& [name, value] : fields) {
      std::string_view n = name;
      if (has_upper(n)) n = own(http::detail::to_lower(n));
      if (n.empty() || n.front() == ':' || is_connection_specific(n) ||
          (!skip.empty() && n == skip))
        continue;
      nva_.push_back(make_nv(n, value));
    }
  }

  const Nv* data() const { return nva_.data(); }
  std::size_t size() const { return nva_.size(); }

 private:
  static bool has_upper(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  }

  static Nv make_nv(std::string_view name, std::string_view value) {
    // The libraries copy names and values on submit; the casts only drop const for their C
    // APIs. Flags 0: NGHTTP2_NV_FLAG_NONE, NGHTTP3_NV_FLAG_NONE.
    return Nv{reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
              reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(),
              value.size(), 0};
  }

  std::string_view own(std::string s) {
    if (inline_used_ < inline_owned_.size()) {
      inline_owned_[inline_used_] = std::move(s);
      return inline_owned_[inline_used_++];
    }
    if (!more_owned_) more_owned_ = std::make_unique<std::deque<std::string>>();
    more_owned_->push_back(std::move(s));
    return more_owned_->back();
  }

  // Owned strings must stay at stable addresses while the block grows (the views point into
  // them, short strings included). Most blocks own one or two (content-length, a lowercased
  // name): those live inline; only a block with more pays for a deque, whose libstdc++
  // constructor allocates even when it stays empty.
  std::array<std::string, 4> inline_owned_;
  std::size_t inline_used_ = 0;
  std::unique_ptr<std::deque<std::string>> more_owned_;
  std::vector<Nv> nva_;
};

}  // namespace rodeo::detail
