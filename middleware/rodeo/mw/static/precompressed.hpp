#pragma once
/// \file
/// Precompressed variants: `file.br` and `file.gz` beside `file`, served with
/// `content-encoding` when the request's Accept-Encoding (RFC 9110 §12.5.3) accepts them.
///
/// A request without Accept-Encoding gets the identity file: RFC 9110 lets a server assume
/// any coding is acceptable then, but tools that send no Accept-Encoding (curl without
/// --compressed, scripts) expect the bytes of the file.

#include <optional>
#include <string_view>
#include <vector>

namespace rodeo::mw::static_files {

/// A content coding the handler looks for on disk.
struct coding_variant {
  std::string_view coding;     ///< content-coding token: "br", "gzip"
  std::string_view extension;  ///< file name suffix: ".br", ".gz"
};

/// The variants looked for, in order of preference when the client weighs them equally.
inline constexpr coding_variant coding_variants[] = {{"br", ".br"}, {"gzip", ".gz"}};

/// The weight (0 to 1000, q × 1000) the Accept-Encoding value gives `coding`: its own entry,
/// else `*`, else 0. Codings are case-insensitive; `x-gzip` counts as `gzip` (§8.4.1.3).
/// The value is parsed by rodeo::http::parse_accept_encoding; a malformed value accepts
/// nothing (the identity file is served).
int coding_weight(std::string_view accept_encoding, std::string_view coding);

/// The coding to serve among `available` (codings whose file exists): the accepted one (q > 0)
/// with the highest weight, ties going to the earlier entry of `coding_variants`. Empty means
/// identity (no header, nothing accepted, nothing available).
std::string_view choose_coding(std::optional<std::string_view> accept_encoding,
                               const std::vector<std::string_view>& available);

}  // namespace rodeo::mw::static_files
