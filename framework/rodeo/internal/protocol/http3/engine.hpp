#pragma once
/// \file
/// The HTTP/3 protocol engine (RFC 9114): an nghttp3 0.8 server connection behind the command
/// side of rodeo/protocol.hpp, so that a QUIC connection reuses the stream table (request
/// actors, stream handlers, access log, limits) exactly as an HTTP/2 connection does.
///
/// Unlike HTTP/1.1 and HTTP/2, HTTP/3 has no single byte stream: QUIC carries each request on
/// a stream of its own. So the engine's input side is per QUIC stream (`read_stream`), its
/// output side is nghttp3's stream scheduler (`write_next` / `wrote` / `acked`), and the
/// transport actions it needs (STOP_SENDING, RESET_STREAM, flow-control credit, new
/// unidirectional streams) go through `quic_streams`, which the QUIC connection implements
/// and unit tests fake. `feed` and `take_output` are unused.
///
/// Stream ids. QUIC request streams are the client's bidirectional streams 0, 4, 8...
/// (RFC 9000 §2.1); `stream_id` is odd for client requests (request_head.hpp), so QUIC id q
/// is reported as q / 2 + 1 (0 -> 1, 4 -> 3, 8 -> 5...).
///
/// Streams end as on HTTP/2: `on_stream_done` once nghttp3 closed a stream whose response
/// was complete, `on_stream_reset` otherwise. Requests answered by the engine itself (413 on
/// a declared content-length above max_body, H3_REQUEST_REJECTED after shutdown) are never
/// reported. Malformed requests (RFC 9114 §4.1.2, §4.3: pseudo-header fields, connection-
/// specific fields, uppercase names) are stream errors of type H3_MESSAGE_ERROR: the stream is
/// reset, the connection and its other streams go on.
///
/// Seams for server push (RFC 9114 §4.6), which nghttp3 0.8 does not implement and Rodeo's
/// push layer adds beside it: `push_hooks`.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rodeo/internal/protocol/date_cache.hpp"
#include "rodeo/internal/protocol/protocol.hpp"
#include "rodeo/response_state.hpp"

struct nghttp3_conn;
struct nghttp3_vec;

namespace rodeo::http3 {

/// HTTP/3 error codes (RFC 9114 §8.1) the engine uses.
inline constexpr std::uint64_t h3_no_error = 0x100;
inline constexpr std::uint64_t h3_internal_error = 0x102;
inline constexpr std::uint64_t h3_request_rejected = 0x10b;
inline constexpr std::uint64_t h3_request_cancelled = 0x10c;
inline constexpr std::uint64_t h3_message_error = 0x10e;

/// What the engine asks of the QUIC connection carrying it.
class quic_streams {
 public:
  virtual ~quic_streams() = default;
  /// STOP_SENDING on stream `id` (RFC 9000 §19.5): the engine reads no more of it.
  virtual void stop_reading(std::int64_t id, std::uint64_t code) = 0;
  /// RESET_STREAM on stream `id` (RFC 9000 §19.4): the engine writes no more on it.
  virtual void reset_writing(std::int64_t id, std::uint64_t code) = 0;
  /// `n` bytes of stream `id` were consumed: their flow-control credit goes back to the peer
  /// (the stream's and the connection's, RFC 9000 §4.1).
  virtual void consumed(std::int64_t id, std::size_t n) = 0;
  /// Opens a server unidirectional stream; nullopt when the peer's limit allows none.
  virtual std::optional<std::int64_t> open_uni() = 0;
};

/// Where Rodeo's push layer plugs in (nothing is pushed without it; every hook is optional).
struct push_hooks {
  /// (a) Bytes of the client's unidirectional streams (its control stream among them) pass
  /// through this filter before nghttp3 reads them: the push layer learns MAX_PUSH_ID and
  /// takes CANCEL_PUSH frames out (nghttp3 0.8 treats CANCEL_PUSH as a connection error).
  /// It appends what nghttp3 may read to `out`; the bytes it keeps are consumed (their
  /// flow-control credit returns at once).
  std::function<void(std::int64_t id, std::string_view in, bool fin, std::string& out)> filter_uni;
};

/// Denial-of-service limits and response defaults, on top of `protocol_limits`.
struct options {
  /// Add `date` to responses that have none (see http2::options::send_date).
  bool send_date = false;
  /// The `server` field value; empty: none.
  std::string server{};
  /// QPACK dynamic table the decoder allows (RFC 9204 §3.2.3), and blocked streams.
  std::size_t qpack_table = 4096;
  std::size_t qpack_blocked_streams = 100;
};

namespace detail {
struct callbacks;
struct stream;
}  // namespace detail

class engine final : public protocol {
 public:
  engine(protocol_events& events, quic_streams& quic, protocol_limits limits, options opts = {});
  ~engine() override;
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// QUIC id of request stream `id`, and back.
  static std::int64_t quic_id(stream_id id) { return (std::int64_t{id} - 1) * 2; }
  static stream_id rodeo_id(std::int64_t quic) { return static_cast<stream_id>(quic / 2 + 1); }

  /// Binds the server's control and QPACK streams (RFC 9114 §6.2.1, RFC 9204 §4.2): opens
  /// three unidirectional streams through `quic_streams`. False when the peer allows fewer
  /// (H3_STREAM_CREATION_ERROR for the connection to close with).
  bool start();

  /// Bytes of QUIC stream `id` as received, in order; `fin` at its end. False: a connection
  /// error (`error_code()` says which H3 code to close with).
  bool read_stream(std::int64_t id, std::string_view data, bool fin);

  /// The next stream data to write: fills `vec` (at most `max` entries), sets `id` and `fin`.
  /// Returns the entry count (0 with id -1: nothing to write), -1 on a connection error.
  long write_next(std::int64_t& id, bool& fin, nghttp3_vec* vec, std::size_t max);
  /// `n` bytes of stream `id` from the last write_next went into packets.
  void wrote(std::int64_t id, std::size_t n);
  /// The peer acknowledged `n` more bytes of stream `id` (in order).
  void acked(std::int64_t id, std::size_t n);
  /// Flow control blocks stream `id`; `unblock` once the peer gave credit.
  void block(std::int64_t id);
  void unblock(std::int64_t id);
  /// The peer sent STOP_SENDING: nothing more can be written on `id`.
  void write_shut(std::int64_t id);
  /// The peer reset (RESET_STREAM) or stopped (STOP_SENDING) stream `id`.
  void peer_reset(std::int64_t id);
  /// QUIC closed stream `id` (both directions done); `code` is the application error code
  /// (H3_NO_ERROR when none).
  void stream_closed(std::int64_t id, std::uint64_t code);

  /// The H3 error code of the connection error that made a call fail.
  std::uint64_t error_code() const { return error_code_; }
  /// Rodeo's push layer (push_hooks).
  void set_push_hooks(push_hooks hooks) { hooks_ = std::move(hooks); }
  /// (b) Queues `bytes` (PUSH_PROMISE frames) on request stream `id` ahead of every byte
  /// nghttp3 writes there. Only before the response started (nghttp3 writes nothing on a
  /// request stream before submit_info / submit_response); false otherwise. `wrote` and
  /// `acked` then shift the stream's offsets by these bytes, so that nghttp3's own
  /// bookkeeping (add_write_offset, add_ack_offset) stays exact.
  bool prepend(stream_id id, std::string bytes);
  /// (c) New server unidirectional streams (push streams, RFC 9114 §4.6) come from
  /// `quic_streams::open_uni`, within the client's limit; their bytes do not go through
  /// nghttp3, so the push layer writes and acknowledges them itself.
  quic_streams& quic() { return quic_; }
  /// True once shutdown() was called (GOAWAY queued).
  bool going_away() const { return shutdown_; }

  // --- protocol ---
  std::string_view name() const override { return "h3"; }
  bool feed(std::string_view) override { return !fatal_; }
  void take_output(std::string&) override {}
  using protocol::take_output;
  bool should_close() const override;
  std::size_t open_streams() const override;
  void inform(stream_id id, int status, const headers& fields) override;
  void reply(stream_id id, int status, const headers& fields, body_bytes body) override;
  void stream_reply(stream_id id, int status, const headers& fields) override;
  void stream_body(stream_id id, body_bytes data, bool fin) override;
  void stream_trailers(stream_id id, const headers& fields) override;
  /// RESET_STREAM(H3_INTERNAL_ERROR).
  void reset_stream(stream_id id) override;
  /// RESET_STREAM(H3_REQUEST_CANCELLED) and STOP_SENDING (RFC 9114 §4.1.1).
  void cancel_stream(stream_id id) override;
  std::size_t queued_bytes(stream_id id) const override;
  std::size_t queued_total() const override;
  /// GOAWAY, as shutdown.
  void time_out() override;
  bool multiplexed() const override { return true; }
  /// Push needs the push layer: until it is there, `no_push_id` (or connection_closing).
  push_capability can_push() const override;
  /// GOAWAY (RFC 9114 §5.2) with the next stream id not yet processed; later requests are
  /// rejected with H3_REQUEST_REJECTED (retryable).
  void shutdown() override;

 private:
  friend struct detail::callbacks;

  detail::stream* find(stream_id id);
  const detail::stream* find(stream_id id) const;
  detail::stream* commandable(stream_id id);
  // callbacks
  int on_begin_headers(std::int64_t id);
  int on_field(std::int64_t id, std::string_view name, std::string_view value, bool trailer);
  int on_end_headers(std::int64_t id, bool fin);
  int on_data(std::int64_t id, std::string_view data);
  int on_end_stream(std::int64_t id);
  int on_stream_close(std::int64_t id, std::uint64_t code);
  int on_acked(std::int64_t id, std::uint64_t n);
  long read_body(std::int64_t id, nghttp3_vec* vec, std::size_t max, std::uint32_t* flags);
  void malformed(std::int64_t id, detail::stream& s);
  void reject(std::int64_t id, detail::stream& s, int status);
  void submit(std::int64_t id, detail::stream& s, int status, const headers& fields,
              std::optional<std::uint64_t> content_length);
  void resume(std::int64_t id, detail::stream& s);

  protocol_events& events_;
  quic_streams& quic_;
  protocol_limits limits_;
  options opts_;
  date_cache date_cache_;
  push_hooks hooks_;
  std::map<std::int64_t, std::unique_ptr<detail::stream>> streams_;
  bool shutdown_ = false;
  bool fatal_ = false;
  std::uint64_t error_code_ = 0;
  std::string filtered_;       ///< scratch for push_hooks::filter_uni
  bool wrote_prefix_ = false;  ///< the last write_next handed out prepended bytes
  struct conn_deleter {
    void operator()(nghttp3_conn* c) const noexcept;
  };
  std::unique_ptr<nghttp3_conn, conn_deleter> conn_;
};

}  // namespace rodeo::http3
