#pragma once
/// \file
/// The bytes of one push stream (RFC 9114 §4.6, §6.2.2), server side:
///   0x01 push_id  HEADERS  DATA*  [HEADERS (trailers)]  FIN
/// on a server-initiated unidirectional stream. The stream type and push ID come first so
/// that the client can match the stream to its PUSH_PROMISE (§4.6).
///
/// Back-pressure: the caller adds the body piece by piece as it is produced, takes what QUIC
/// accepts from `output()` (unsent spans, `sent`), and asks the producer for more only while
/// `output().unsent_bytes()` is small. Bytes stay in the writer until QUIC reports them
/// acknowledged (`output().acked`): ngtcp2 sends lost data again from the caller's memory. A
/// body piece is not copied: its DATA frame is a small header chunk followed by the piece.

#include <cstdint>
#include <string>
#include <string_view>

#include "rodeo/internal/protocol/http3/push/send_queue.hpp"

namespace rodeo::http3::push {

class push_stream_writer {
 public:
  /// Queues the stream type (0x01) and `push_id`.
  explicit push_stream_writer(std::uint64_t push_id);

  /// The response's HEADERS frame (a QPACK field section from field_encoder). Exactly once,
  /// first; std::logic_error otherwise.
  void headers(std::string_view field_section);
  /// One DATA frame with `piece` as its payload (nothing for an empty piece). After
  /// `headers`, before `trailers` and `end`.
  void data(std::string piece);
  /// The trailers' HEADERS frame (§4.1); then the stream ends.
  void trailers(std::string_view field_section);
  /// Nothing more: FIN after the queued bytes.
  void end();

  std::uint64_t push_id() const { return push_id_; }
  send_queue& output() { return out_; }
  const send_queue& output() const { return out_; }
  /// True when the caller should send FIN now: `end` (or `trailers`) was called and every
  /// queued byte was handed to QUIC.
  bool fin_due() const { return state_ == state::ended && out_.unsent_bytes() == 0; }
  bool ended() const { return state_ == state::ended; }

 private:
  enum class state { headers, body, ended };
  std::uint64_t push_id_;
  state state_ = state::headers;
  send_queue out_;
};

}  // namespace rodeo::http3::push
