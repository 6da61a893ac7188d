#pragma once
/// \file
/// Response compression as a stream handler (Cowboy's `cowboy_compress_h`): gzip or br,
/// negotiated by the request's accept-encoding. Off by default; a listener opts in:
///
///   opts.stream_handlers.push_back(rodeo::compress_stream_h());
///
/// A response is compressed only when all of these hold (as cowboy_compress_h and nginx's
/// gzip module decide):
/// - the request is not HEAD and its accept-encoding gives br or gzip (or `*`) a quality
///   above 0 (RFC 9110 §12.5.3). The higher quality wins; at equal quality br, which is
///   smaller for the same CPU at the levels used here. `x-gzip` counts as gzip (§8.4.1.3).
/// - the status is 200..599 and not 204, 206 or 304 (a 206 is a range of the identity
///   representation; 204 and 304 have no content);
/// - the response has no content-encoding (other than identity) and no content-range, and its
///   cache-control has no `no-transform` (RFC 9111 §5.2.2.6);
/// - its content-type is not one that is already compressed (images but SVG, audio, video,
///   zip/gzip/xz/7z/..., woff/woff2, application/octet-stream);
/// - a full reply's body has at least `min_size` bytes (below, gzip's header and trailer
///   outweigh the gain). Streamed bodies cannot be measured beforehand and are compressed
///   whatever their size.
///
/// A compressed response gets `content-encoding`, `vary: accept-encoding` (merged into an
/// existing vary), loses content-length (the engine sets the new one, or HTTP/1.1 chunks a
/// stream) and accept-ranges (ranges would apply to the compressed bytes). A strong ETag is
/// weakened, `"x"` to `W/"x"` (RFC 9110 §8.8.3: a strong validator names one exact
/// representation, and the compressed one differs). Weakening rather than suffixing ("x-gz")
/// keeps If-None-Match working unchanged: it uses the weak comparison (§13.1.2), so the
/// handler's own "x" still matches and answers 304.
///
/// Streamed bodies are compressed in flight: each stream_body chunk is flushed (zlib
/// Z_SYNC_FLUSH, BROTLI_OPERATION_FLUSH), so the client can decode it at once (server-sent
/// events keep working); trailers close the coded stream first.
///
/// Cost on the io thread (stream_handler.hpp), measured on the first 60 KB of this project's
/// Markdown docs (tests/framework/compress_stream_h.test.cpp, RODEO_COMPRESS_BENCH=FILE), on a
/// 2-core machine with a load average near 10, so a quiet core is several times faster:
///
///   gzip 1: 1.6 ms, 24.1 KB   gzip 6: 4.7 ms, 20.8 KB   gzip 9: 6.5-7 ms, 20.8 KB
///   br 1:   0.8 ms, 18.9 KB   br 4: 1.9-2.6 ms, 16.9 KB  br 5: 2.7-4 ms, 15.9 KB
///   br 9:  34-47 ms, 15.8 KB  br 11: 120 ms, 14.4 KB
///
/// The defaults, gzip 6 and br 4, cost a few milliseconds per 60 KB on the io thread: every
/// other stream of that thread waits that long, acceptable for pages and API answers. br 4 is
/// both faster and smaller than gzip 6; br 9 and above are ten times dearer for 1 % and
/// belong to precompressed files (the static handler serves `.br`/`.gz` files as they are).
/// Bodies of megabytes are better precompressed, or streamed (compressed chunk by chunk).

#include <cstddef>
#include <optional>
#include <string_view>

#include "rodeo/headers.hpp"
#include "rodeo/stream_handler.hpp"

namespace rodeo {

struct compress_options {
  /// Full replies with a shorter body are sent as they are.
  std::size_t min_size = 300;
  int gzip_level = 6;      ///< 1..9
  int brotli_quality = 4;  ///< 0..11
  bool gzip = true;
  bool brotli = true;
};

/// The content-coding to use for a request's accept-encoding: "br", "gzip" or "" (none).
/// A malformed value gives "".
std::string_view choose_content_coding(std::optional<std::string_view> accept_encoding,
                                       const compress_options& opts = {});

/// False for content types that are already compressed (see above). An empty type is
/// compressible.
bool compressible_type(std::string_view content_type);

/// Why a response head is not compressed, or "" when it may be. `body_size` is the full
/// reply's size, or nullopt for a streamed response.
std::string_view compress_refusal(int status, const headers& fields,
                                  std::optional<std::size_t> body_size,
                                  const compress_options& opts = {});

/// The factory. Throws rodeo::usage_error for options out of range.
stream_handler_factory compress_stream_h(compress_options opts = {});

}  // namespace rodeo
