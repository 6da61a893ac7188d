#include "rodeo/body/urlencoded.hpp"

#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "rodeo/body/content_type.hpp"
#include "rodeo/client_error.hpp"
#include "rodeo/req.hpp"

namespace rodeo {

namespace {

bool is_urlencoded(const http::media_type& t) {
  return t.type == "application" && t.subtype == "x-www-form-urlencoded";
}

}  // namespace

void read_urlencoded_body(req& r, std::function<void(req&, http::qs_pairs)> done,
                          urlencoded_limits limits) {
  require_content_type(r, "application/x-www-form-urlencoded", is_urlencoded);
  check_content_length(r, limits.bytes);
  // A body past limits.bytes is answered 413 by read_body itself.
  r.read_body(
      [done = std::move(done), keys = limits.keys](req& rq, std::string body) {
        http::qs_pairs pairs;
        try {
          // Counted here rather than by parse_qs, so that too many fields is a 413 and
          // not a malformed body; the byte limit bounds the work.
          pairs = http::parse_qs(body, std::numeric_limits<std::size_t>::max());
        } catch (const std::invalid_argument& e) {
          std::string why = e.what();
          if (const auto at = why.find("query string"); at != std::string::npos)
            why.replace(at, 12, "urlencoded body");
          throw bad_request(why);
        }
        if (pairs.size() > keys)
          throw client_error(413, "urlencoded body with " + std::to_string(pairs.size()) +
                                      " fields: the limit is " + std::to_string(keys));
        done(rq, std::move(pairs));
      },
      limits.bytes);
}

}  // namespace rodeo
