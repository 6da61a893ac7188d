#pragma once
/// \file
/// permessage-deflate (RFC 7692): the negotiation of one offer, and the per-message codec on
/// zlib's raw deflate. Sans-I/O.

#include <zlib.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "rodeo/websocket/handshake.hpp"

namespace rodeo::ws {

/// An accepted offer: the parameters and the `sec-websocket-extensions` answer.
struct deflate_agreement {
  deflate_params params;
  std::string response;
};

/// Accepts one `sec-websocket-extensions` element if it is a valid permessage-deflate offer
/// this server can honour (RFC 7692 §7.1); nullopt: decline it (try the next one).
std::optional<deflate_agreement> negotiate_deflate(std::string_view offer);

/// Compresses outgoing and inflates incoming messages of one WebSocket.
class deflate_codec {
 public:
  explicit deflate_codec(const deflate_params& p);
  ~deflate_codec();
  deflate_codec(const deflate_codec&) = delete;
  deflate_codec& operator=(const deflate_codec&) = delete;

  /// One message's payload, compressed, without the 00 00 ff ff tail (RFC 7692 §7.2.1).
  std::string compress(std::string_view message);
  enum class inflate_error {
    none,
    too_big,  ///< the output would exceed the limit (a zip bomb): close 1009
    corrupt,  ///< not deflate data: close 1007
  };
  /// Inflates one compressed message's payload into `out`, at most `limit` bytes of it.
  inflate_error decompress(std::string_view message, std::size_t limit, std::string& out);

 private:
  deflate_params params_;
  z_stream deflate_{};
  z_stream inflate_{};
};

}  // namespace rodeo::ws
