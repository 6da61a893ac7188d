#pragma once
/// \file
/// `rodeo::read_multipart`: a `multipart/form-data` body (RFC 7578: HTML forms with files)
/// read part by part as it arrives, as Cowboy's cowboy_req:read_part and read_part_body. No
/// part is held whole: the handler gets each part's headers, then its data in pieces, and
/// decides where they go (a file, a hash, a size count). The parsing is http::multipart_parser.

#include <functional>
#include <string_view>

#include "rodeo/http/multipart.hpp"

namespace rodeo {

class req;

/// What `read_multipart` calls, in body order, from the request actor. Each may be empty.
struct multipart_handlers {
  /// A part begins: its name, filename, content type and header fields.
  std::function<void(req&, const http::multipart_part&)> on_part;
  /// A piece of the current part's data; `fin` marks the part's end (then `data` may be
  /// empty). Pieces come as the client sends them: join them if the part must be whole.
  std::function<void(req&, std::string_view data, bool fin)> on_data;
  /// The body is complete (its close delimiter was read): reply here.
  std::function<void(req&)> on_done;
};

/// Reads the request's multipart/form-data body. As `req.read_body`, the handler returns from
/// init without replying and answers in `on_done` (or in another callback).
///
/// The client's faults become responses (rodeo::client_error / bad_request), unless the
/// response has started: another Content-Type is 415; a body over `limits.total_bytes`, a
/// part's header block over `limits.header_bytes` or more than `limits.parts` parts, 413; a
/// missing or invalid boundary or a malformed body (RFC 2046 §5.1.1, RFC 7578 §4), 400.
void read_multipart(req& r, multipart_handlers handlers, http::multipart_limits limits = {});

}  // namespace rodeo
