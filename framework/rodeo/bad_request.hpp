#pragma once
/// \file
/// `rodeo::bad_request`: the client sent something the handler cannot accept (a query string
/// `req.match_qs` refuses, a malformed Cookie or Accept header). Thrown by the req's parsing
/// accessors, and by handlers or middlewares themselves when they find the request at fault.
///
/// The request actor answers an uncaught bad_request with 400 and `what()` as a text/plain
/// body, as Cowboy answers its `request_error` exits, instead of the 500 a crash gets; the
/// handler's `terminate` still runs (reason `crash`: the handler did not end on its own). If
/// the response had already started, it is treated as any other crash.

#include <stdexcept>

namespace rodeo {

/// The request is at fault: answered 400 with `what()` as the body. Say what was wrong in
/// words a client developer can act on ("query string field 'n': ...").
class bad_request : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace rodeo
