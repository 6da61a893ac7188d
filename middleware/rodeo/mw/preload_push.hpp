#pragma once
/// \file
/// `Link: rel=preload` -> push (h2o's and nginx's `http2_push_preload`): a middleware that
/// turns the preload links a handler (or an upstream application) puts on its response into
/// pushes of the same request, made through `req.push` just before the response's HEADERS go
/// out, so the push contract, its skip reasons and the cache digest apply to them. A link
/// with the `nopush` parameter, to another origin, or with a relation other than `preload` is
/// left alone; every `link` field stays on the response (a client without push preloads it).
///
/// Put it before the router: `chain = {mw::preload_push(), router, handler}`.

#include <string>
#include <string_view>
#include <vector>

#include "rodeo/middleware.hpp"

namespace rodeo::mw {

/// One preload link of a `link` field value (RFC 8288 §3).
struct preload_link {
  std::string target;  ///< the URI reference as written between < and >
  std::string as;      ///< the `as` parameter, lowercase (the fetch destination), or empty
  bool nopush = false;
  friend bool operator==(const preload_link&, const preload_link&) = default;
};

/// The links of `value` whose `rel` has the `preload` relation type. A malformed link
/// ends the list (what came before it is kept).
std::vector<preload_link> parse_preload_links(std::string_view value);

/// The `accept` field a browser sends for a fetch destination (`as`): style, script, image,
/// font, anything else.
std::string_view accept_for_destination(std::string_view as);

/// The middleware. Continues the chain; its work happens when the handler replies.
middleware_ptr preload_push();

}  // namespace rodeo::mw
