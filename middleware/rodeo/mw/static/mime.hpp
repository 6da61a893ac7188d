#pragma once
/// \file
/// Content types for static files, from the file name's extension.
///
/// The table is the built-in list of the web's common types, completed by the system's
/// mime.types file (`/etc/mime.types`) when there is one. The built-in table wins: a site
/// serves the same types on every machine, and the ones browsers are strict about
/// (JavaScript modules, WebAssembly, fonts, SVG) are always right; the system file only adds
/// extensions the built-in table does not know. Unknown extensions are
/// application/octet-stream. Textual types get `; charset=utf-8`.

#include <map>
#include <string>
#include <string_view>

namespace rodeo::mw::static_files {

/// True for the types that get `; charset=utf-8`: text/*, application/javascript,
/// application/json, image/svg+xml.
bool wants_charset(std::string_view type);

/// Extension → content-type value. Immutable once built, so safe to share between threads.
class mime_table {
 public:
  /// The built-in table.
  static mime_table builtin();

  /// Adds the entries of a mime.types text (`type ext1 ext2...`, `#` comments) for
  /// extensions not in the table yet; malformed lines are skipped.
  void add_mime_types(std::string_view text);

  /// The content-type value for `ext` (no dot, any case), charset included when it applies;
  /// empty if unknown. The view borrows from the table.
  std::string_view find(std::string_view ext) const;

  /// The content-type value for the file at `path` (its last segment's extension), or
  /// application/octet-stream. The view borrows from the table or static storage.
  std::string_view content_type(std::string_view path) const;

  std::size_t size() const { return types_.size(); }

 private:
  void add(std::string ext, std::string_view type);

  std::map<std::string, std::string, std::less<>> types_;
};

/// The process-wide table: built-in plus the system's mime.types, built on first use
/// (a function-local static: thread-safe, read once).
const mime_table& default_mime_table();

/// default_mime_table().content_type(path)
std::string_view content_type_for(std::string_view path);

}  // namespace rodeo::mw::static_files
