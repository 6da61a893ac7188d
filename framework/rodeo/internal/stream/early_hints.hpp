#pragma once
/// \file
/// The early hints of one request (RFC 8297): pushes the client could not take become
/// `link: </path>; rel=preload; as=<dest>` values, gathered while the handler runs and sent
/// as one `103 Early Hints` at the end of its turn or before its response, whichever first.

#include <string>
#include <string_view>
#include <vector>

#include "rodeo/headers.hpp"

namespace rodeo {

/// The preload destination (`as=`, HTML's request destinations) of a pushed request: from
/// its `accept` field when that names a type, else from the path's extension; `fetch` when
/// neither tells.
std::string_view preload_destination(std::string_view path, const headers& fields);

/// One `link` value preloading `path` (with `qs` if not empty). Fonts are fetched in CORS
/// mode, so their preload carries `crossorigin` or the browser would not reuse it.
std::string preload_link(std::string_view path, std::string_view qs, const headers& fields);

class early_hints {
 public:
  /// Adds a link to the next 103; false if this request already hinted it.
  bool add(std::string link);
  /// Whether links wait to be sent.
  bool pending() const { return !pending_.empty(); }
  /// The fields of the next 103 (one `link` field listing every waiting link), and clears
  /// the waiting links.
  headers take();

 private:
  std::vector<std::string> sent_or_pending_;
  std::string pending_;
};

}  // namespace rodeo
