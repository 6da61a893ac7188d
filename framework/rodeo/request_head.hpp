#pragma once
/// \file
/// What a protocol engine hands the connection once a request's header block is complete.
/// The same shape for HTTP/1.1 and HTTP/2: handlers never branch on the protocol.

#include <cstdint>
#include <optional>
#include <string>

#include "rodeo/headers.hpp"

namespace rodeo {

/// Protocol-level stream identifier: the HTTP/2 stream id, or the HTTP/1.1 request's sequence
/// number on its connection (1, 2, 3...). Even ids are pushed streams (RFC 9113 §5.1.1).
using stream_id = std::int32_t;

struct request_head {
  std::string method;     ///< "GET", "POST"... as sent (methods are case-sensitive).
  std::string scheme;     ///< "http" or "https" (HTTP/1.1: from the transport).
  std::string authority;  ///< host[:port] from :authority or Host; may be empty on HTTP/1.0.
  std::string path;       ///< request-target path without the query; "*" for OPTIONS *.
  std::string qs;         ///< query string without '?', possibly empty.
  std::string version;    ///< "HTTP/1.0", "HTTP/1.1" or "HTTP/2".
  headers fields;         ///< lowercase names, pseudo-headers removed, in arrival order.
  /// HTTP/2 extended CONNECT's `:protocol` (RFC 8441 §4: "websocket"), else empty.
  std::string protocol;
  /// Declared body length (content-length), when the peer sent one.
  std::optional<std::uint64_t> content_length;
  /// True when body bytes may follow (a content-length > 0, chunked, or an HTTP/2 HEADERS
  /// frame without END_STREAM). When false, no on_body event follows for this stream.
  bool has_body = false;
};

}  // namespace rodeo
