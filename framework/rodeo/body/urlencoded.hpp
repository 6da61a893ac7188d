#pragma once
/// \file
/// `rodeo::read_urlencoded_body` (Cowboy's cowboy_req:read_urlencoded_body): an HTML form
/// posted as `application/x-www-form-urlencoded`, read whole and decoded into pairs.

#include <cstddef>
#include <functional>

#include "rodeo/http/qs.hpp"

namespace rodeo {

class req;

/// Bounds on a urlencoded body.
struct urlencoded_limits {
  /// The most bytes of the body (Cowboy's default is 64000).
  std::size_t bytes = 64 * 1024;
  /// The most fields (`name=value` pairs).
  std::size_t keys = http::default_qs_max_keys;
};

/// Reads the whole body, then calls `done(req, pairs)` from the request actor with the
/// decoded pairs in order (as `http::parse_qs`). As `req.read_body`, the handler returns from
/// init without replying and answers in `done`.
///
/// The client's faults become responses (rodeo::client_error / bad_request): another
/// Content-Type is 415; a body over `limits.bytes`, or more than `limits.keys` fields, 413; a
/// malformed body (a bad `%` escape, `=v`) 400.
void read_urlencoded_body(req& r, std::function<void(req&, http::qs_pairs)> done,
                          urlencoded_limits limits = {});

}  // namespace rodeo
