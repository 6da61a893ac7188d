#pragma once
/// \file
/// The HTTP/1.1 protocol engine (RFC 9112): the sans-I/O `rodeo::protocol` for HTTP/1.0 and
/// HTTP/1.1 connections, on llhttp.
///
/// Model: requests are parsed into a pipeline of streams numbered 1, 2, 3... in arrival
/// order. Each stream's response is written by the commands the connection forwards; only
/// the stream first in line writes to the output, the others buffer theirs until the ones
/// before them are complete (HTTP/1.1 answers in request order, RFC 9112 §9.3.2). A stream
/// leaves the pipeline (`on_stream_done`) once its whole response has reached the output.
///
/// Read back-pressure: the parser stops at a message boundary while
/// `limits.max_concurrent_streams` streams are in the pipeline; unparsed bytes stay buffered.
/// When `want_read()` turns true again the connection calls `feed({})` to parse them (a
/// client that pipelined everything it had sends nothing more to wake a read).
///
/// The engine answers by itself what never reaches a handler: 400 (malformed request,
/// RFC 9112 §3.2, §5.1, §5.2), 413 (body above `limits.max_body`), 431 (header block above
/// `limits.max_header_block`), 501 (CONNECT), 505 (version), each with `connection: close`
/// after the responses before it; 100 Continue (RFC 9110 §10.1.1); and 101 for an accepted
/// h2c upgrade (RFC 7540 §3.2).
///
/// WebSocket (RFC 6455 §4): a GET with `upgrade: websocket` is reported like any request,
/// and nothing after it is parsed (its bytes may be frames). If its handler answers with
/// `stream_reply(101)`, the engine becomes a tunnel for that stream: the 101 head, then
/// every byte read is the stream's body (`on_body`, never `fin`) and every `stream_body` is
/// written as is; the stream's end closes the connection. The framing is the request
/// actor's (websocket_handler), which serves HTTP/2's RFC 8441 streams the same way. Any
/// other answer closes the connection after it.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rodeo/internal/protocol/http1/request_sink.hpp"
#include "rodeo/internal/protocol/http1/response_writer.hpp"
#include "rodeo/internal/protocol/protocol.hpp"
#include "rodeo/response_state.hpp"

namespace rodeo::http1 {

class request_parser;

/// Settings of the HTTP/1.1 engine beyond the protocol limits.
struct engine_options {
  /// Returns the `date` field value, an IMF-fixdate (RFC 9110 §6.6.1). Empty: the system
  /// clock, formatted at most once per second.
  std::function<std::string()> date;
  /// The `server` field value (RFC 9110 §10.2.4); empty: none is sent.
  std::string server = "Rodeo";
  /// The `alt-svc` field value (RFC 7838 §3); empty: none is sent.
  std::string alt_svc{};
};

/// The HTTP/1.1 engine. See the file comment for the model; `rodeo::protocol` for the
/// contract of each call.
///
/// `on_upgrade_h2c`: the 101 response is queued before the call, and the engine accepts no
/// input afterwards (`feed` ignores it). The connection takes the output, then replaces the
/// engine after `feed` returned, never inside the callback.
///
/// `reset_stream`: no event follows for that stream. Streams after it, and any stream still
/// in the pipeline when the connection must close, get `on_stream_reset(id, 0)`.
class engine final : public protocol, private request_sink {
 public:
  /// `tls` sets the scheme ("https") and forbids h2c upgrades.
  engine(protocol_events& events, protocol_limits limits, bool tls, engine_options options = {});
  ~engine() override;
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  std::string_view name() const override { return "http/1.1"; }
  bool feed(std::string_view bytes) override;
  void take_output(std::string& out) override;
  void take_output(gathered_output& out) override;
  bool should_close() const override;
  bool want_read() const override;
  std::size_t open_streams() const override;

  void inform(stream_id id, int status, const headers& fields) override;
  void reply(stream_id id, int status, const headers& fields, body_bytes body) override;
  void stream_reply(stream_id id, int status, const headers& fields) override;
  void stream_body(stream_id id, body_bytes data, bool fin) override;
  void stream_trailers(stream_id id, const headers& fields) override;
  void reset_stream(stream_id id) override;
  std::size_t queued_bytes(stream_id id) const override;
  std::size_t queued_total() const override;
  void time_out() override;
  void shutdown() override;

  /// True while a request head is being received: its first byte (an empty line before a
  /// request line counts) arrived and its header block is not complete. The connection's
  /// header timeout runs meanwhile.
  bool receiving_head() const override;

 private:
  /// How the body of a response is delimited (RFC 9112 §6.3).
  enum class framing { none, length, chunked, close };

  /// One request of the pipeline, from its header block until its response left the engine.
  struct stream {
    stream_id id = 0;              ///< 0 for a response the engine made up (an error).
    bool reported = true;          ///< the connection knows the stream: events are due.
    bool head_request = false;     ///< HEAD: the response has no body (RFC 9110 §9.3.2).
    bool http10 = false;           ///< no 1xx, no chunked coding (RFC 9110 §15.2).
    bool close = false;            ///< the connection closes after this response.
    bool echo_keep_alive = false;  ///< HTTP/1.0 `connection: keep-alive` is said back.
    bool expect_continue = false;  ///< 100 Continue is due when first in line.
    bool continue_sent = false;    ///< the engine's own 1xx, not part of `response`.
    bool body_done = true;         ///< the request body was read to its end (or is absent).
    bool websocket = false;        ///< a WebSocket upgrade request: 101 makes it a tunnel.
    /// How far the response went; done or reset: it may leave the pipeline once first.
    response_state response = response_state::idle;
    bool first = false;  ///< first in line: it writes straight to the output.
    framing body_framing = framing::none;
    std::uint64_t remaining = 0;  ///< framing::length: body bytes still due.
    std::string pending;          ///< output waiting for the streams before it.
  };

  /// An accepted h2c upgrade, waiting for the end of its request.
  struct h2c_upgrade {
    request_head head;
    std::string settings;
  };

  // request_sink: called by the parser inside feed().
  head_verdict on_head(parsed_request& request) override;
  void on_body(std::string_view data, bool fin) override;

  std::size_t parse(std::string_view data);
  bool may_parse() const;
  void end_message(std::string_view rest);
  void fail(int status);
  void advance();
  void close_after(stream& s);

  stream* find(stream_id id);
  const stream* find(stream_id id) const;
  stream* find_open(stream_id id);
  /// The stream `id` if it is open and the response state takes `e`; then moved by it.
  stream* accept(stream_id id, response_event e);
  void emit(stream& s, std::string_view bytes);
  /// emit() for body bytes: a shared body goes to the output by reference.
  void emit_body(stream& s, body_bytes body);
  void own(stream_id id, std::size_t n);
  head_extras extras_for(stream& s, const headers& fields);
  void open_tunnel(stream& s, const headers& fields);
  std::string_view date();

  protocol_events& events_;
  protocol_limits limits_;
  bool tls_;
  engine_options options_;
  std::unique_ptr<request_parser> parser_;

  std::string input_;           ///< bytes read but not parsed (back-pressure).
  std::deque<stream> streams_;  ///< the pipeline, in request order.
  stream_id last_id_ = 0;
  stream_id current_ = 0;  ///< the stream whose request is being parsed.
  std::optional<h2c_upgrade> upgrade_;
  stream_id tunnel_ = 0;          ///< the WebSocket stream that owns the connection's bytes.
  bool websocket_asked_ = false;  ///< a WebSocket upgrade awaits its answer: keep the input.

  gathered_output out_;                                        ///< output for take_output.
  std::vector<std::pair<stream_id, std::size_t>> out_owners_;  ///< who owns out_'s bytes.

  bool accepting_ = true;  ///< new requests are read (not after close, shutdown, reset).
  bool shutdown_ = false;
  bool failed_ = false;      ///< an error response is queued; input is over.
  bool closing_ = false;     ///< the last response is out: close now.
  bool upgraded_ = false;    ///< the connection speaks HTTP/2 now.
  bool input_done_ = false;  ///< the parser was stopped for good.
  bool advancing_ = false, advance_again_ = false;

  date_cache date_cache_;
  std::string date_text_;
};

}  // namespace rodeo::http1
