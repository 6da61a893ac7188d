#pragma once
/// \file
/// The validator (ETag) of a pushed asset, for the pushed-resources digest (push_options::
/// validator): what the static route serving the page would send for the asset, when the
/// asset lies under the same root with the same URL layout as the page (a static_dir route
/// pushing its own files). Otherwise empty: the asset's path alone identifies it in the
/// digest, and a change to it is not noticed until the cookie expires.

#include <string>
#include <string_view>

#include "rodeo/bindings.hpp"
#include "rodeo/mw/static/locate.hpp"

namespace rodeo::mw::static_files {

/// `page_path` is the request's path and `page_info` its path_info; `asset` the pushed path.
std::string push_validator(const static_source& src, std::string_view page_path,
                           const path_tokens& page_info, std::string_view asset);

}  // namespace rodeo::mw::static_files
