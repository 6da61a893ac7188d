#pragma once
/// \file
/// Range requests (RFC 9110 §14): deciding, for a representation of a known size, between the
/// whole representation (200), one part (206) and 416 Range Not Satisfiable, If-Range
/// included (§13.1.5). The Range value is parsed by rodeo::http::parse_range.
///
/// Decisions this server makes where the RFC leaves a choice:
/// - Several satisfiable ranges are answered with the whole representation (200), never with
///   multipart/byteranges: it is what browsers and download tools cope with best, it costs
///   no more bytes than the parts of a small file, and it cannot be abused to make the server
///   send one region many times (RFC 9110 §14.2 allows ignoring Range).
/// - Unsatisfiable ranges next to one satisfiable range are dropped: 206 with that range.
/// - A Range value that does not parse, has an unknown unit, an invalid range-spec
///   (last < first) or a position beyond 64 bits is ignored: 200 (§14.2).

#include <cstdint>
#include <string>
#include <string_view>

#include "rodeo/headers.hpp"
#include "rodeo/mw/static/file_meta.hpp"

namespace rodeo::mw::static_files {

enum class range_kind {
  full,           ///< 200, the whole representation
  partial,        ///< 206, bytes [first, last]
  unsatisfiable,  ///< 416
};

struct range_decision {
  range_kind kind = range_kind::full;
  std::uint64_t first = 0, last = 0;  ///< partial: inclusive positions
  /// `bytes 0-499/1234` (partial) or `bytes */1234` (unsatisfiable, §15.5.17); empty for full.
  std::string content_range;
};

/// Decides how to answer a request's Range for a representation of `size` bytes.
/// Only GET has range semantics (§14.2): other methods, HEAD included, get `full`.
/// An If-Range that does not match (strong ETag comparison, or a date exactly equal to
/// Last-Modified, §13.1.5) also gets `full`.
range_decision resolve_range(std::string_view method, const rodeo::headers& request,
                             std::uint64_t size, const validators& current);

}  // namespace rodeo::mw::static_files
