#pragma once
/// \file
/// Header blocks in nghttp2's shape (`nghttp2_nv` arrays), built from Rodeo's `headers`.
/// Private to the HTTP/2 engine.

#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/headers.hpp"

namespace rodeo::http2::detail {

/// True for the fields HTTP/2 forbids because they are connection-specific (RFC 9113 §8.2.2).
/// `te` is included: the engine never sends requests, and responses must not carry it.
bool is_connection_specific(std::string_view lowercase_name);

/// An outgoing header block. Names are lowercased copies (RFC 9113 §8.2.1: uppercase names
/// make the message malformed); values borrow from the caller and must stay alive until the
/// block was handed to an `nghttp2_submit_*` call (which copies it).
class header_block {
 public:
  /// Appends one field as given (pseudo-headers included); `name` is lowercased.
  void add(std::string_view name, std::string_view value);

  /// Appends a field whose value the block owns (numbers, joined paths).
  void add_owned(std::string_view name, std::string value);

  /// Appends a handler's fields: lowercased; pseudo-headers, connection-specific fields and
  /// the field named `skip` (if not empty) are dropped, because the engine owns them.
  void add_fields(const headers& fields, std::string_view skip = {});

  const nghttp2_nv* data() const { return nva_.data(); }
  std::size_t size() const { return nva_.size(); }

 private:
  std::string_view own(std::string s);

  // A deque keeps the owned strings at stable addresses while the block grows.
  std::deque<std::string> owned_;
  std::vector<nghttp2_nv> nva_;
};

}  // namespace rodeo::http2::detail
