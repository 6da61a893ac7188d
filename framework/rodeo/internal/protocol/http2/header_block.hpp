#pragma once
/// \file
/// Header blocks in nghttp2's shape (`nghttp2_nv` arrays), built from Rodeo's `headers`.
/// Private to the HTTP/2 engine.

#include <nghttp2/nghttp2.h>

#include "rodeo/internal/protocol/field_block.hpp"

namespace rodeo::http2::detail {

using rodeo::detail::is_connection_specific;

/// An outgoing header block (rodeo/internal/protocol/field_block.hpp).
using header_block = rodeo::detail::field_block<nghttp2_nv>;

}  // namespace rodeo::http2::detail
