#pragma once
/// \file
/// The static handler's decision for one request, without I/O: from the request's fields and
/// what is known of the file, the status, the response fields and which bytes of the file
/// make the body. The handler then only opens, reads and sends.

#include <cstdint>
#include <string_view>

#include "rodeo/headers.hpp"
#include "rodeo/mw/static/file_meta.hpp"

namespace rodeo::mw::static_files {

/// The representation selected for the request.
struct representation {
  file_meta meta;                 ///< of the file whose bytes are sent (the variant if encoded)
  std::string_view content_type;  ///< of the original file (a variant keeps its type)
  std::string_view coding;        ///< content-coding of the variant ("br", "gzip"), or empty
  bool has_variants = false;      ///< precompressed variants exist: the response varies
};

struct response_plan {
  int status = 200;
  /// Response fields. For 200/206 they include content-length, which the handler needs on a
  /// streamed or HEAD response; a handler sending the whole body with reply drops it (the
  /// protocol engine computes it from the body).
  rodeo::headers fields;
  std::uint64_t offset = 0;  ///< first byte of the file to send
  std::uint64_t length = 0;  ///< bytes to send: 0 for HEAD, 304, 412, 416
};

/// Plans the response to GET or HEAD (the handler answers other methods with 405 first):
/// preconditions (RFC 9110 §13.2.2) → 304 / 412; then Range (§14) → 206 / 416 / 200.
/// 200 and 206 carry content-type, content-length, accept-ranges, etag, last-modified,
/// cache-control (when not empty), content-encoding and vary as they apply, content-range
/// on 206. A 304 carries etag, cache-control and vary (§15.4.5); a 416 `content-range:
/// bytes */size` (§15.5.17). `now` (Unix seconds) bounds Last-Modified.
response_plan plan_response(std::string_view method, const rodeo::headers& request,
                            const representation& rep, std::string_view cache_control,
                            std::int64_t now);

}  // namespace rodeo::mw::static_files
