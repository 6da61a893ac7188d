#pragma once
/// \file
/// The request head of an HTTP/2 or HTTP/3 header block, assembled field by field as nghttp2
/// or nghttp3 validated them (RFC 9113 §8.3, RFC 9114 §4.3: the same pseudo-header fields).
/// The protocol engines' stream states derive from it.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "rodeo/request_head.hpp"

namespace rodeo::detail {

struct request_head_builder {
  request_head head;                     ///< handed over by on_request
  std::string host;                      ///< `host` field, the authority when :authority lacks
  std::optional<std::size_t> cookie_at;  ///< index in head.fields of the joined cookie field
  bool head_request = false;             ///< HEAD: responses carry no content

  /// Adds one field (pseudo-headers included): :path is split into path and query string,
  /// cookie crumbs are joined with "; " (RFC 9113 §8.2.3, RFC 9114 §4.2.1) so that handlers
  /// see one field, as in HTTP/1.1.
  void add(std::string_view name, std::string_view value);

  /// Completes the head: `version`, the authority falling back to `host` (RFC 9113 §8.3.1,
  /// RFC 9114 §4.3.1), the scheme (absent on CONNECT) to `default_scheme`.
  void finish(std::string_view version, std::string_view default_scheme, bool end_stream);
};

/// True when the request asks for `100 Continue` (RFC 9110 §10.1.1: case-insensitive).
bool expects_continue(const request_head& head);

}  // namespace rodeo::detail
