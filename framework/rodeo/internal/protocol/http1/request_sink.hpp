#pragma once
/// \file
/// What the HTTP/1.1 request parser hands its owner: a checked header block and the body
/// bytes. Kept apart from request_parser.hpp so that users of the sink need not see llhttp.

#include <string_view>

#include "rodeo/request_head.hpp"

namespace rodeo::http1 {

/// A request's header block, checked, with the framing facts the engine needs.
struct parsed_request {
  request_head head;
  bool keep_alive = true;        ///< the connection persists after this exchange (RFC 9112 §9.3).
  bool chunked = false;          ///< the body uses the chunked transfer-coding (RFC 9112 §7.1).
  bool expect_continue = false;  ///< `Expect: 100-continue` (RFC 9110 §10.1.1).
};

/// What the parser's owner wants once a header block is complete.
enum class head_verdict {
  proceed,  ///< read the body (if any) up to the end of the message.
  stop,     ///< read nothing more: the parser reports `stopped` and stays there.
};

/// Receives what the parser finds, inside `request_parser::execute`.
class request_sink {
 public:
  virtual ~request_sink() = default;

  /// A valid header block. The sink may move `request.head` out.
  virtual head_verdict on_head(parsed_request& request) = 0;

  /// Body bytes, dechunked. The last call of a message with a body has `fin == true` (its
  /// data may be empty). Not called for messages without a body.
  virtual void on_body(std::string_view data, bool fin) = 0;
};

}  // namespace rodeo::http1
