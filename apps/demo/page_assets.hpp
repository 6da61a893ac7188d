#pragma once
/// \file
/// What a page loads on its own: the stylesheets (`<link rel=stylesheet href>`), scripts
/// (`<script src>`) and images (`<img src>`) an HTML page references, for pushing them with
/// the page when the served directory has no push manifest.

#include <string>
#include <string_view>
#include <vector>

namespace demo {

/// The same-origin absolute paths (`/style.css`, `/app.js?v=2`; not `//host/x`, `https://...`
/// or relative `x.png`) that `html` references as stylesheet, script or image, in document
/// order, without duplicates and without their fragment. Comments are skipped; tag and
/// attribute names are case-insensitive; values may be quoted with " or ' or unquoted.
/// A path holding whitespace or control characters is left out (it cannot be pushed as is).
std::vector<std::string> page_assets(std::string_view html);

}  // namespace demo
