#pragma once
/// \file
/// The HTML listing of a directory without an index (route option `listing = true`).
/// Names starting with '.' are not listed; names are HTML-escaped in the text and
/// percent-encoded in the links.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rodeo::mw::static_files {

struct listing_entry {
  std::string name;
  bool directory = false;
  std::uint64_t size = 0;
};

/// The visible entries of directory `dir`, directories first, then by name. Empty if it
/// cannot be read. `hidden` names one more entry not to list (the push manifest).
std::vector<listing_entry> read_listing(const std::string& dir, std::string_view hidden = {});

/// The listing page for `url_path` (the request path, shown as the title).
std::string render_listing(std::string_view url_path, const std::vector<listing_entry>& entries);

/// `s` with & < > " ' escaped for HTML text and attribute values.
std::string html_escape(std::string_view s);

/// A path segment percent-encoded so that it stays one segment in a relative link
/// (RFC 3986 §3.3: everything but unreserved characters and sub-delims that are safe).
std::string encode_segment(std::string_view s);

}  // namespace rodeo::mw::static_files
