#pragma once
/// \file
/// The client side of one in-memory connection, sans-I/O: it says what to send, reads what
/// the server wrote and assembles the response. One per protocol.

#include <memory>
#include <string>
#include <string_view>

#include "rodeo/testing/client.hpp"

namespace rodeo::testing {

class peer {
 public:
  virtual ~peer() = default;
  /// Bytes to send to the server now ("" when none).
  virtual std::string output() = 0;
  /// Bytes the server wrote, in order.
  virtual void input(std::string_view bytes) = 0;
  /// The server closed the connection.
  virtual void closed() = 0;
  /// The response (and every push) is complete, or can no longer be.
  virtual bool done() const = 0;
  virtual response take() = 0;
};

std::unique_ptr<peer> make_http1_peer(const request& r);
std::unique_ptr<peer> make_http2_peer(const request& r);

/// The request's fields with `content-length` added when it has a body and no framing field.
rodeo::headers request_fields(const request& r);

}  // namespace rodeo::testing
