#pragma once
/// \file
/// A pushed stream of the HTTP/3 engine (RFC 9114 §4.6): the promised request's response,
/// written by Rodeo on a push stream of its own (nghttp3 0.8 has no push), from the pushed
/// request actor's commands.

#include <cstdint>
#include <optional>
#include <string>

#include "rodeo/internal/protocol/http3/push/frame.hpp"
#include "rodeo/internal/protocol/http3/push/push_stream_writer.hpp"
#include "rodeo/internal/protocol/http3/push/varint.hpp"
#include "rodeo/request_head.hpp"
#include "rodeo/response_state.hpp"

namespace rodeo::http3::detail {

struct pushed {
  pushed(std::uint64_t push_id, std::int64_t quic_id, stream_id parent_id)
      : writer(push_id),
        quic(quic_id),
        parent(parent_id),
        header_length(push::varint_size(push::stream_type::push) + push::varint_size(push_id)) {}

  push::push_stream_writer writer;  ///< bytes kept until acknowledged
  std::int64_t quic;                ///< the push stream's QUIC id
  stream_id parent;                 ///< the request stream that carries the promise
  /// The stream's type and push ID: what tells the client which promise the stream answers.
  std::uint64_t header_length;
  /// A reset this side decided (an error response, a crash) waits until the client has the
  /// stream's header, so that it can match the reset to the promise (RFC 9114 §4.6); until
  /// then only the header is written.
  std::optional<std::uint64_t> cancel_due;
  response_state response = response_state::idle;
  bool head_request = false;
  bool no_body = false;      ///< HEAD, 204, 304
  bool blocked = false;      ///< flow control holds it
  bool fin_sent = false;     ///< FIN went into a packet
  bool write_reset = false;  ///< RESET_STREAM sent (by us, or after the client's STOP_SENDING)
  bool detached = false;     ///< its end was reported

  bool take(response_event e) {
    auto step = next_response_state(response, e);
    if (step.effect != response_effect::send) return false;
    response = step.next;
    return true;
  }
};

}  // namespace rodeo::http3::detail
