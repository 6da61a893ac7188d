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
/// Server push (RFC 9114 §4.6), which nghttp3 0.8 does not implement, is Rodeo's push layer
/// (push/) beside nghttp3, wired in here (push.cpp):
///   - the client's unidirectional streams pass through a `control_stream_filter` before
///     nghttp3: MAX_PUSH_ID is learned (`can_push`), CANCEL_PUSH is taken out (it ends that
///     pushed stream) and its bytes' flow-control credit returned at once;
///   - `push_promise` takes the next push ID (never above MAX_PUSH_ID), writes PUSH_PROMISE on
///     the parent stream ahead of nghttp3's next byte there (`offset_map` shifts the stream's
///     write and acknowledgement offsets for nghttp3), and opens the push stream within the
///     client's unidirectional stream limit;
///   - a pushed stream's response (rodeo id even: 2 * (push ID + 1)) is written by a
///     `push_stream_writer` on that push stream, beside nghttp3's streams (`write_next`).
/// Pushed bodies do not delay the parent: a push stream sends once its parent's response
/// HEADERS went out (or the parent is gone), or when nothing else is waiting.

#include <nghttp3/nghttp3.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/internal/protocol/date_cache.hpp"
#include "rodeo/internal/protocol/http3/push/control_stream_filter.hpp"
#include "rodeo/internal/protocol/http3/push/push_ids.hpp"
#include "rodeo/internal/protocol/protocol.hpp"
#include "rodeo/response_state.hpp"

namespace rodeo::http3 {

/// HTTP/3 error codes (RFC 9114 §8.1) the engine uses.
inline constexpr std::uint64_t h3_no_error = 0x100;
inline constexpr std::uint64_t h3_internal_error = 0x102;
inline constexpr std::uint64_t h3_id_error = 0x108;
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
  /// How many more unidirectional streams the peer allows now (push streams, RFC 9114 §4.6).
  virtual std::uint64_t uni_streams_left() const { return 100; }
  /// True while the peer's connection-wide flow-control limit (MAX_DATA, RFC 9000 §4.1) is
  /// used up: no stream can send.
  virtual bool connection_blocked() const { return false; }
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
struct pushed;
}  // namespace detail

namespace push {
class field_encoder;
}

class engine final : public protocol {
 public:
  engine(protocol_events& events, quic_streams& quic, protocol_limits limits, options opts = {});
  ~engine() override;
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// QUIC id of request stream `id`, and back.
  static std::int64_t quic_id(stream_id id) { return (std::int64_t{id} - 1) * 2; }
  static stream_id rodeo_id(std::int64_t quic) { return static_cast<stream_id>(quic / 2 + 1); }
  /// The rodeo id of the pushed stream with push ID `push_id` (even, as HTTP/2's pushed
  /// streams: 0 -> 2, 1 -> 4...).
  static stream_id pushed_id(std::uint64_t push_id) {
    return static_cast<stream_id>(2 * (push_id + 1));
  }

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
  /// The peer acknowledged bytes [offset, offset + n) of QUIC stream `id`.
  void acked(std::int64_t id, std::uint64_t offset, std::size_t n);
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
  /// Queues `bytes` (a whole frame: PUSH_PROMISE) on request stream `id` ahead of nghttp3's
  /// next byte there. Only before the final response (and never inside one of nghttp3's
  /// frames: offset_map); false otherwise. `wrote` and `acked` then translate the stream's
  /// offsets, so that nghttp3's own bookkeeping (add_write_offset, add_ack_offset) stays exact.
  bool prepend(stream_id id, std::string bytes);
  /// The peer allows more unidirectional streams (MAX_STREAMS): room for pushes.
  void uni_streams_extended();
  /// Why the last push_promise returned 0 (for the log).
  std::string_view push_refusal() const override { return push_refusal_; }
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
  /// RESET_STREAM(H3_REQUEST_CANCELLED) and STOP_SENDING (RFC 9114 §4.1.1); a complete
  /// response too while flow control holds it (the send timeout), else a complete response
  /// goes on and only the rest of the request is refused (STOP_SENDING H3_NO_ERROR).
  void cancel_stream(stream_id id) override;
  std::size_t queued_bytes(stream_id id) const override;
  /// The send timeout's question: stream `id` (request or push) has output that only the
  /// peer's flow control holds back, its own window (QUIC said STREAM_DATA_BLOCKED) or the
  /// connection's (with body bytes not yet acknowledged).
  bool flow_blocked(stream_id id) const override;
  bool connection_window_closed() const override { return quic_.connection_blocked(); }
  std::size_t queued_total() const override;
  /// GOAWAY, as shutdown.
  void time_out() override;
  bool multiplexed() const override { return true; }
  /// `no_push_id` until the client's MAX_PUSH_ID, `push_ids_exhausted` once every ID up to
  /// it is used; `max_concurrent`: the push streams open plus those the client's limits allow.
  push_capability can_push() const override;
  /// PUSH_PROMISE on `parent` and a push stream (RFC 9114 §4.6); the pushed stream's id, or 0.
  stream_id push_promise(stream_id parent, const request_head& promised) override;
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
  // push (push.cpp)
  bool filter_uni(std::int64_t id, std::string_view& data);
  void on_cancel_push(std::uint64_t push_id);
  detail::pushed* find_pushed(stream_id id);
  const detail::pushed* find_pushed(stream_id id) const;
  detail::pushed* pushed_by_quic(std::int64_t quic);
  detail::pushed* commandable_pushed(stream_id id);
  void pushed_reply(detail::pushed& p, int status, const headers& fields, body_bytes body);
  void pushed_stream_reply(detail::pushed& p, int status, const headers& fields);
  void pushed_body(detail::pushed& p, body_bytes data, bool fin);
  void pushed_trailers(detail::pushed& p, const headers& fields);
  void pushed_reset(detail::pushed& p, std::uint64_t code);
  void pushed_gone(detail::pushed& p, std::uint64_t code);
  void pushed_closed(std::int64_t quic, std::uint64_t code);
  void pushed_acked(detail::pushed& p, std::uint64_t offset, std::size_t n);
  std::string pushed_headers(detail::pushed& p, int status, const headers& fields,
                             std::optional<std::uint64_t> content_length);
  bool push_ready(const detail::pushed& p, bool idle) const;
  detail::pushed* next_push(bool idle);
  long write_push(detail::pushed& p, std::int64_t& id, bool& fin, nghttp3_vec* vec,
                  std::size_t max);
  std::size_t open_pushes() const;
  void report_push_capability();

  protocol_events& events_;
  quic_streams& quic_;
  protocol_limits limits_;
  options opts_;
  date_cache date_cache_;
  std::map<std::int64_t, std::unique_ptr<detail::stream>> streams_;
  bool shutdown_ = false;
  bool fatal_ = false;
  std::uint64_t error_code_ = 0;
  // --- push ---
  /// The client's unidirectional streams (at most the 3 its transport limit allows, RFC
  /// 9114 §6.2), each read through a filter: on the control stream it finds MAX_PUSH_ID and
  /// CANCEL_PUSH; the others pass unchanged.
  std::map<std::int64_t, push::control_stream_filter> uni_filters_;
  std::vector<std::uint8_t> filtered_;  ///< scratch: what a filter passes to nghttp3
  push::push_ids push_ids_;
  std::unique_ptr<push::field_encoder> encoder_;  ///< made at the first push
  std::map<stream_id, std::unique_ptr<detail::pushed>> pushes_;
  std::map<std::int64_t, stream_id> push_streams_;  ///< QUIC id of a push stream -> rodeo id
  std::set<std::int64_t> inject_due_;               ///< request streams with promise bytes to write
  stream_id last_push_ = 0;                         ///< the push stream written last (round robin)
  bool push_turn_ = false;  ///< the next write goes to a push stream if one is ready
  std::string push_refusal_;
  /// What the last write_next handed out, for `wrote`.
  struct last_write {
    enum class kind { none, injected, h3, push } what = kind::none;
    std::int64_t id = -1;
    bool fin = false;
    std::size_t bytes = 0;
    std::vector<nghttp3_vec> vec;  ///< nghttp3's, when its stream carries promises
  } last_;
  struct conn_deleter {
    void operator()(nghttp3_conn* c) const noexcept;
  };
  std::unique_ptr<nghttp3_conn, conn_deleter> conn_;
};

}  // namespace rodeo::http3
