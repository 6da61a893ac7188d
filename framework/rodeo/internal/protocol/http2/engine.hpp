#pragma once
/// \file
/// The HTTP/2 protocol engine (RFC 9113): an nghttp2 server session behind the sans-I/O
/// contract of rodeo/protocol.hpp. Bytes in (`feed`), bytes out (`take_output`), events out
/// (`protocol_events`), commands in (`reply`, `stream_body`, `push_promise`...).
///
/// Streams as the connection sees them. A stream becomes known by `on_request` (client
/// streams), by `upgrade` (stream 1 of an h2c upgrade) or by `push_promise` (even ids). It
/// ends with exactly one event: `on_stream_done` when its response was completely handed to
/// the transport, or `on_stream_reset` otherwise (the client reset it, the engine reset it
/// for a protocol error or a body above `max_body`, or the connection asked `reset_stream`).
/// Requests the engine answers by itself are never reported: 413 when the declared
/// content-length is above `max_body`, RST_STREAM(REFUSED_STREAM) after `shutdown` or above
/// MAX_CONCURRENT_STREAMS, RST_STREAM(ENHANCE_YOUR_CALM) for a header block above
/// `max_header_block`.
///
/// Header blocks above `max_header_block` (RFC 9113 §10.5.1; counted as
/// SETTINGS_MAX_HEADER_LIST_SIZE is, name + value + 32 per field) are not answered 431 as in
/// HTTP/1.1: a response would need the stream alive, and nghttp2 validates every remaining
/// field of a live stream's block before the engine can ignore it. An HPACK bomb (one large
/// table entry referenced thousands of times) costs that per field, so the engine fails the
/// block at once: nghttp2 then only inflates the rest (to keep HPACK state in sync, §4.3) and
/// the stream is reset. Trailers are bounded the same way. A connection that keeps sending such
/// blocks (`options::oversized_burst`) gets GOAWAY(ENHANCE_YOUR_CALM) (§10.5).
///
/// MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2): a stream opened above the advertised limit is
/// refused with RST_STREAM(REFUSED_STREAM), a stream error that lets the client retry it
/// (§8.7); the connection and its other streams live on. nghttp2 would make it a connection
/// error once the SETTINGS are acknowledged, so nghttp2 is told twice the limit (at least 16
/// more) and the engine writes the advertised one into the SETTINGS frame on the wire; a
/// client beyond nghttp2's limit in one burst still gets its connection error. Refused streams
/// share the Rapid Reset budget's size (`reset_burst`, `reset_rate`) in a bucket of their own:
/// when it is empty, GOAWAY(ENHANCE_YOUR_CALM).
///
/// Stream identifiers (RFC 9113 §5.1.1): HEADERS on an odd identifier below the highest one
/// the client used, that it never opened, is a connection error of type PROTOCOL_ERROR
/// (nghttp2 ignores it). Trailers on an open stream, and HEADERS on a stream that was opened
/// and is closed (§5.1), stay nghttp2's.
///
/// Ingress checks are nghttp2's HTTP messaging rules (RFC 9113 §8.1.1, §8.2, §8.3) plus one:
/// a field name with characters outside the token set resets the stream with PROTOCOL_ERROR
/// where nghttp2 would only drop the field (RFC 9113 §8.2.1 says malformed).
///
/// Once a response is complete while the request is still arriving, the engine sends
/// RST_STREAM(NO_ERROR) so that the client stops sending (RFC 9113 §8.1).
///
/// Server push. `push_promise` queues PUSH_PROMISE on the parent stream, ahead of the
/// parent's response HEADERS. A pushed response must not delay its parent's: the engine
/// holds the pushed stream's HEADERS and DATA until the parent's first DATA frame (or its
/// END_STREAM) was handed to the transport, or the parent closed. nghttp2 makes each promised
/// stream depend on its parent (RFC 7540 §5.3), so the parent's DATA goes first whenever both
/// have data and window (`priority_parent` shows it).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "rodeo/internal/protocol/date_cache.hpp"
#include "rodeo/internal/protocol/http2/ingress_guard.hpp"
#include "rodeo/internal/protocol/http2/session_memory.hpp"
#include "rodeo/internal/protocol/http2/stream.hpp"
#include "rodeo/internal/protocol/protocol.hpp"

struct nghttp2_session;

namespace rodeo::http2 {

namespace detail {
struct session_access;
}

/// Denial-of-service limits of the nghttp2 session, on top of `protocol_limits`.
struct options {
  /// Rapid Reset (CVE-2023-44487): a token bucket for incoming RST_STREAM frames. When it is
  /// empty the engine sends GOAWAY(INTERNAL_ERROR) and `feed` returns false.
  std::uint64_t reset_burst = 1000;
  std::uint64_t reset_rate = 33;  ///< tokens regained per second
  /// CONTINUATION flood (CVE-2024-28182): CONTINUATION frames accepted after one HEADERS.
  std::size_t max_continuations = 8;
  /// SETTINGS entries accepted in one SETTINGS frame.
  std::size_t max_settings = 32;
  /// HPACK bomb (RFC 9113 §10.5.1): header blocks above `protocol_limits::max_header_block`
  /// reset their stream; a token bucket bounds how many a connection may send. When it is
  /// empty the engine sends GOAWAY(ENHANCE_YOUR_CALM) and `feed` returns false.
  std::uint64_t oversized_burst = 8;
  std::uint64_t oversized_rate = 1;  ///< tokens regained per second
  /// Add the `date` field (RFC 9110 §6.6.1) to responses that have none: the system clock,
  /// formatted at most once per second. The connection turns it on; off, header lists are
  /// exact (unit tests).
  bool send_date = false;
  /// The `server` field value (RFC 9110 §10.2.4); empty: none is sent.
  std::string server{};
  /// The `alt-svc` field value (RFC 7838 §3); empty: none is sent.
  std::string alt_svc{};
};

class engine final : public protocol {
 public:
  /// Output handed over per take_output while pushed responses run ahead of a parent that
  /// had nothing to send: what that parent's response may have to wait for, at most.
  static constexpr std::size_t push_burst = 32 * 1024;
  /// The most output room reserved ahead when response bodies are appended.
  static constexpr std::size_t max_round_reserve = 1024 * 1024;

  /// A connection that speaks HTTP/2 from its first byte (ALPN "h2", or the prior-knowledge
  /// preface on clear text). Queues the server SETTINGS (RFC 9113 §3.4):
  /// MAX_CONCURRENT_STREAMS, INITIAL_WINDOW_SIZE and MAX_HEADER_LIST_SIZE from `limits`.
  /// `tls` gives the scheme of CONNECT requests, which carry no :scheme.
  engine(protocol_events& events, protocol_limits limits, bool tls, options opts = {});

  /// An h2c upgrade (RFC 7540 §3.2) of a clear-text HTTP/1.1 connection. `settings_payload`
  /// is the decoded HTTP2-Settings header; `head` is the upgrading request, which becomes
  /// stream 1 (half-closed remote): the connection dispatches it itself and answers it with
  /// reply()/stream_reply() on stream 1; no on_request is reported for it. Returns nullptr
  /// when the payload is not a valid SETTINGS payload.
  static std::unique_ptr<engine> upgrade(protocol_events& events, protocol_limits limits,
                                         std::string_view settings_payload,
                                         const request_head& head, options opts = {});

  ~engine() override;
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  // --- protocol ---
  std::string_view name() const override { return "h2"; }
  /// Also runs the session's output side into a buffer that `take_output` hands over first:
  /// a connection error nghttp2 decides while reading (Rapid Reset, a bad frame) shows only
  /// as the GOAWAY it sends, and `feed` must report it. Request bodies are acknowledged
  /// (WINDOW_UPDATE) as they are read: the connection throttles uploads by not feeding, and
  /// bounds a peer that never reads by not feeding while its write buffer is full.
  bool feed(std::string_view bytes) override;
  void take_output(std::string& out) override;
  void take_output(gathered_output& out) override;
  bool should_close() const override;
  std::size_t open_streams() const override;
  void inform(stream_id id, int status, const headers& fields) override;
  void reply(stream_id id, int status, const headers& fields, body_bytes body) override;
  void stream_reply(stream_id id, int status, const headers& fields) override;
  void stream_body(stream_id id, body_bytes data, bool fin) override;
  void stream_trailers(stream_id id, const headers& fields) override;
  void reset_stream(stream_id id) override;
  std::size_t queued_bytes(stream_id id) const override;
  std::size_t queued_total() const override;
  /// GOAWAY(NO_ERROR), as `shutdown`: the connection closes once it is flushed.
  void time_out() override;
  void shutdown() override;
  /// Gives back the pages of nghttp2's outbound frame buffer (session_memory.hpp) and the
  /// output buffer's capacity, once the session has nothing left to send.
  void trim() override;
  /// Bytes the nghttp2 session holds, and of which in pooled pages (session_memory.hpp).
  std::size_t session_bytes() const { return memory_.live_bytes(); }
  std::size_t session_pooled_bytes() const { return memory_.pooled_bytes(); }
  /// The frame buffer's resident bytes (mincore(2)): 0 after a trim() of an idle session.
  std::size_t session_resident_frame_buffer() const { return memory_.resident_scratch_bytes(); }

  // --- flow control (the connection's send timeout) ---
  /// True when stream `id` has response data queued that the peer's flow-control window
  /// (the stream's or the connection's, RFC 9113 §5.2) keeps from being sent.
  bool flow_blocked(stream_id id) const override;
  /// True when the connection-level send window is exhausted (no DATA on any stream).
  bool connection_window_closed() const override;
  bool multiplexed() const override { return true; }
  /// RST_STREAM(CANCEL).
  void cancel_stream(stream_id id) override;
  /// Resets stream `id` with `error_code` (RFC 9113 §7), e.g. CANCEL for a stream the peer
  /// stopped reading; on_stream_reset follows once the RST_STREAM is out.
  void reset_stream(stream_id id, std::uint32_t error_code);

  // --- server push (RFC 9113 §8.4) ---
  /// The client's SETTINGS_ENABLE_PUSH (1 until its SETTINGS say otherwise).
  bool push_enabled() const;
  /// The client's SETTINGS_MAX_CONCURRENT_STREAMS: how many pushed streams it accepts open.
  /// nghttp2 assumes 100 until the client's SETTINGS (which precede its first request) say.
  std::uint32_t peer_max_concurrent_streams() const;
  /// True once a GOAWAY was sent, queued or received, or the connection failed.
  bool going_away() const;
  /// Promised streams not yet closed.
  std::size_t open_pushed_streams() const;
  /// Queues PUSH_PROMISE on `parent`, an open client stream whose final response has not
  /// started, promising `promised` (method, scheme, authority, path?qs; its fields become
  /// the promised request's regular fields). Returns the promised even stream id, which the
  /// connection then answers like any stream; or 0 with nothing queued when the client
  /// disabled push, the connection is going away, or the parent cannot carry a promise.
  stream_id push_promise(stream_id parent, const request_head& promised) override;
  /// From the client's SETTINGS (ENABLE_PUSH, MAX_CONCURRENT_STREAMS) and GOAWAY; the engine
  /// reports each change through `protocol_events::on_push_capability`.
  push_capability can_push() const override;
  /// The stream `id` depends on in the RFC 7540 §5.3 priority tree (0 for the root or an
  /// unknown stream). Diagnostics: pushed streams depend on their parent.
  stream_id priority_parent(stream_id id) const;

 private:
  friend struct detail::session_access;
  struct session_deleter {
    void operator()(nghttp2_session* s) const noexcept;
  };

  // inbound, request.cpp. The int results are nghttp2 callback results.
  int on_headers_frame(stream_id id);
  int on_begin_request(stream_id id);
  int on_request_field(stream_id id, std::string_view name, std::string_view value);
  int on_trailer_field(stream_id id, std::string_view name, std::string_view value);
  int header_overflow(stream_id id, detail::stream& s);
  /// Ends the connection from inside a callback: GOAWAY with `code`, feed returns false.
  int fail(std::uint32_t code);
  void on_request_headers(stream_id id, bool end_stream);
  void on_data(stream_id id, std::string_view data, bool end_stream_frame);
  void on_request_end(stream_id id);
  void reject(stream_id id, detail::stream& s, int status);
  void body_overflow(stream_id id, detail::stream& s);

  // outbound, response.cpp
  void start_response(stream_id id, detail::stream& s, detail::held_response r);
  void submit_response(stream_id id, detail::stream& s, const detail::held_response& r);
  void resume(stream_id id, detail::stream& s);
  std::ptrdiff_t read_body(stream_id id, std::size_t len, std::uint32_t* flags);
  int send_body(stream_id id, const std::uint8_t* framehd, std::size_t length, std::size_t padlen);
  void on_response_frame_sent(stream_id id, bool data, bool end_stream);
  void on_stream_closed(stream_id id, std::uint32_t error_code);

  // push.cpp
  void report_push_capability();
  bool must_hold(const detail::stream& s) const;
  void release_pushes(detail::stream& parent);
  /// Releases the held pushed responses of every parent (the session is idle); true if any.
  bool release_idle_pushes();
  /// A PUSH_PROMISE went out: a pushed error response waiting for it is cancelled now.
  void on_promise_sent(stream_id promised);
  /// The parent's first DATA (or its end) was sent, or it closed.
  void parent_sent(detail::stream& parent);

  // engine.cpp
  detail::stream* find(stream_id id);
  const detail::stream* find(stream_id id) const;
  /// The stream if the connection may still command it.
  detail::stream* commandable(stream_id id);
  void pump(gathered_output& out);
  void pump_frames(gathered_output& out);
  /// Writes the advertised MAX_CONCURRENT_STREAMS into the server SETTINGS frame at the start
  /// of `out` (nghttp2 was given a higher one: see the file comment).
  void advertise_stream_limit(std::string& out, std::size_t from);

  protocol_events& events_;
  protocol_limits limits_;
  bool tls_;
  bool send_date_;
  std::string server_;
  std::string alt_svc_;
  date_cache date_cache_;
  std::map<stream_id, detail::stream> streams_;
  gathered_output out_;              ///< output produced during feed, not yet taken
  gathered_output* sink_ = nullptr;  ///< where pump() puts output (send_body appends DATA)
  bool fatal_ = false;
  bool shutdown_ = false;
  bool goaway_sent_ = false;
  bool goaway_received_ = false;
  /// Parents whose pushes went while they had nothing to send and that have sent no DATA
  /// since: while any, a pump stops at push_burst bytes (push.cpp).
  std::size_t early_parents_ = 0;
  bool settings_written_ = false;  ///< the server SETTINGS went out (advertise_stream_limit)
  std::uint32_t fail_code_ = 0;    ///< GOAWAY code of a connection error raised by a callback
  detail::stream_ids stream_ids_;
  detail::token_bucket oversized_;  ///< header blocks above max_header_block
  detail::token_bucket refused_;    ///< streams refused above MAX_CONCURRENT_STREAMS
  bool wrote_since_trim_ = false;   ///< frames went through nghttp2's buffer since trim()
  /// The session's allocator: declared before the session, so that it outlives it.
  detail::session_memory memory_;
  // Last, so that the session (whose callbacks reach the members above) goes first.
  std::unique_ptr<nghttp2_session, session_deleter> session_;
};

}  // namespace rodeo::http2
