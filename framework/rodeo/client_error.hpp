#pragma once
/// \file
/// `rodeo::client_error`: a `bad_request` with its own 4xx status, for the request faults that
/// are not plain 400s: 413 Content Too Large, 415 Unsupported Media Type (the body helpers of
/// rodeo/body throw these). The request actor answers it as a bad_request, with `status()`
/// instead of 400.

#include <string>

#include "rodeo/bad_request.hpp"

namespace rodeo {

/// The request is at fault: answered `status()` (a 4xx) with `what()` as the body.
class client_error : public bad_request {
 public:
  client_error(int status, const std::string& what) : bad_request(what), status_(status) {}
  /// The response status, e.g. 413 or 415 (RFC 9110 §15.5).
  int status() const noexcept { return status_; }

 private:
  int status_;
};

}  // namespace rodeo
