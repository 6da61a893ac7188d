#pragma once
/// \file
/// The sans-I/O contract between a connection and its protocol engine (HTTP/1.1 or HTTP/2).
///
/// An engine never touches a socket, a clock or a thread: the connection feeds it the bytes it
/// read (`feed`), takes the bytes it must write (`take_output`), and forwards the request
/// actors' commands (`reply`, `stream_body`...). What the peer did comes back as calls on
/// `protocol_events`. Engines do not log; they report. This is what makes them testable byte
/// for byte (tests/http1, tests/http2).

#include <cstdint>
#include <string>
#include <string_view>

#include "rodeo/body_bytes.hpp"
#include "rodeo/headers.hpp"
#include "rodeo/internal/protocol/gathered_output.hpp"
#include "rodeo/protocol_limits.hpp"
#include "rodeo/push.hpp"
#include "rodeo/request_head.hpp"

namespace rodeo {

/// Whether a connection's streams may push now (RFC 9113 §8.4), as its protocol says.
struct push_capability {
  /// `push_skip::none` when pushes are allowed; otherwise why not (`http1`: the protocol has
  /// no push; `disabled_by_client`: SETTINGS_ENABLE_PUSH=0; `connection_closing`: GOAWAY).
  push_skip skip = push_skip::http1;
  /// How many pushed streams the peer accepts open at once (its MAX_CONCURRENT_STREAMS).
  std::uint32_t max_concurrent = 0;
};

/// Calls an engine makes on its connection. They happen inside `feed` (or inside a command
/// call, for stream closes), on the connection's thread.
class protocol_events {
 public:
  virtual ~protocol_events() = default;

  /// A request's header block is complete and valid. `head.has_body` says whether on_body
  /// events follow.
  virtual void on_request(stream_id id, request_head head) = 0;

  /// Request body bytes. The last call has `fin == true` (its data may be empty).
  virtual void on_body(stream_id id, std::string_view data, bool fin) = 0;

  /// The stream ended before its response was complete: the peer reset it (HTTP/2
  /// RST_STREAM) or the engine reset it for a protocol error. The request actor must stop.
  /// `error_code` is the HTTP/2 error code (0 for HTTP/1.1).
  virtual void on_stream_reset(stream_id id, std::uint32_t error_code) = 0;

  /// The response of stream `id` was completely handed to the transport; the engine forgot it.
  virtual void on_stream_done(stream_id id) = 0;

  /// HTTP/1.1 only: the request `head` asked for `Upgrade: h2c` and the engine accepted it.
  /// It has queued `101 Switching Protocols`; every byte fed after this call belongs to HTTP/2.
  /// `settings` is the decoded HTTP2-Settings payload; `rest` holds bytes already read past
  /// the request. The connection swaps engines and dispatches `head` as HTTP/2 stream 1.
  virtual void on_upgrade_h2c(request_head head, std::string settings, std::string rest) {
    (void)head, (void)settings, (void)rest;
  }

  /// What `protocol::can_push` answers changed (the peer's SETTINGS, a GOAWAY either way).
  virtual void on_push_capability(push_capability now) { (void)now; }
};

/// A protocol engine. All calls happen on the connection's thread.
class protocol {
 public:
  virtual ~protocol() = default;

  /// "http/1.1" or "h2", as in ALPN.
  virtual std::string_view name() const = 0;

  /// Consumes bytes read from the peer, reporting events. Returns false when the connection
  /// is beyond saving (the engine has queued what it wanted to say, e.g. a 400 or a GOAWAY):
  /// the connection flushes the output, then closes.
  virtual bool feed(std::string_view bytes) = 0;

  /// Appends the bytes to write to `out`.
  virtual void take_output(std::string& out) = 0;

  /// The same into a gathered output, which the connection writes: an engine that overrides
  /// it hands shared bodies (`body_bytes::share`) over by reference instead of copying them.
  virtual void take_output(gathered_output& out) { take_output(out.text()); }

  /// True once the connection should close after the output is flushed (Connection: close,
  /// GOAWAY sent and no streams left, fatal error).
  virtual bool should_close() const = 0;

  /// False while the engine wants no more input (HTTP/1.1 pipeline full): read back-pressure.
  virtual bool want_read() const { return true; }

  /// Number of streams that have a request but not yet a complete response.
  virtual std::size_t open_streams() const = 0;

  // --- commands from the request actors (after the connection checked the stream exists) ---

  /// A 1xx informational response (not 101). May be sent several times before the reply.
  virtual void inform(stream_id id, int status, const headers& fields) = 0;

  /// The complete response. The engine adds content-length (and date, server in HTTP/1.1);
  /// for HEAD requests it sends the headers only.
  /// A shared `body` stays shared up to the output (no copy of its bytes on the way).
  virtual void reply(stream_id id, int status, const headers& fields, body_bytes body) = 0;

  /// Starts a streamed response: body by stream_body, ended by `fin` or stream_trailers.
  /// HTTP/1.1 uses chunked transfer-coding unless `fields` has content-length.
  virtual void stream_reply(stream_id id, int status, const headers& fields) = 0;

  /// A piece of a streamed body; `fin` ends the response.
  virtual void stream_body(stream_id id, body_bytes data, bool fin) = 0;

  /// Trailer fields; ends the response.
  virtual void stream_trailers(stream_id id, const headers& fields) = 0;

  /// Abandons a stream whose response had started (the handler crashed): HTTP/2
  /// RST_STREAM(INTERNAL_ERROR); HTTP/1.1 closes the connection after the responses before it.
  /// A complete response, even one still queued, is not cut: the call is a no-op.
  virtual void reset_stream(stream_id id) = 0;

  /// Bytes of stream `id` still queued in the engine (not yet handed to the transport):
  /// the connection uses it for write back-pressure towards the request actor.
  virtual std::size_t queued_bytes(stream_id id) const = 0;

  /// Bytes of all streams (and of the engine's own frames) still queued in the engine: with
  /// the transport's queue, what the connection holds against its output limits.
  virtual std::size_t queued_total() const = 0;

  /// The peer is too slow sending a request head or body (the connection's request, header
  /// or body timeout): HTTP/1.1 answers 408 Request Timeout with `connection: close` after
  /// the responses before it (the stream whose body was arriving is reset, or answered 408
  /// if its response had not started); HTTP/2 sends GOAWAY. No input is read afterwards.
  virtual void time_out() = 0;

  // --- capabilities a connection asks about; the defaults are HTTP/1.1's ---

  /// True when streams run side by side on the connection (HTTP/2, HTTP/3): a slow stream
  /// can be ended on its own instead of the connection.
  virtual bool multiplexed() const { return false; }

  /// Whether streams may push now, and the peer's limit on pushed streams.
  virtual push_capability can_push() const { return {}; }

  /// Promises `promised` on `parent` (RFC 9113 §8.4: PUSH_PROMISE) and returns the promised
  /// stream's id, which is then answered like any stream; 0 with nothing queued when the
  /// protocol cannot push or the parent can no longer carry a promise.
  virtual stream_id push_promise(stream_id parent, const request_head& promised) {
    (void)parent, (void)promised;
    return 0;
  }

  /// Why the last `push_promise` returned 0, when the protocol says more than "refused".
  virtual std::string_view push_refusal() const { return {}; }

  /// Ends stream `id`, no longer wanted (a stalled upload or download): HTTP/2
  /// RST_STREAM(CANCEL), RFC 9113 §7. HTTP/1.1 cannot end one stream alone.
  virtual void cancel_stream(stream_id id) { reset_stream(id); }

  /// True when stream `id` has output that only the peer's flow-control window holds back.
  virtual bool flow_blocked(stream_id id) const {
    (void)id;
    return false;
  }

  /// True when no stream can send because the connection's flow-control window is closed.
  virtual bool connection_window_closed() const { return false; }

  /// True while a request head after the first is arriving (HTTP/1.1 header timeout).
  virtual bool receiving_head() const { return false; }

  /// The connection is idle (no stream open, nothing to write): give back the memory that
  /// only serves traffic (buffers the next bytes will allocate or fault in again).
  virtual void trim() {}

  /// Graceful stop: HTTP/2 GOAWAY (last stream id = highest processed); HTTP/1.1 answers the
  /// requests it has and then closes. No new request is reported after this.
  virtual void shutdown() = 0;
};

}  // namespace rodeo
