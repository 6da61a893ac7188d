#pragma once
/// \file
/// `req`: a request as its handler sees it, and the handler's only way to answer.
///
/// A req lives in its request actor (one per stream, pushed streams included). Every reply
/// call becomes a message to the connection, tagged with the stream id; the connection hands
/// it to the protocol engine. Calls stay in order (a push made before the reply reaches the
/// wire before the reply's HEADERS). The same API serves HTTP/1.1 and HTTP/2; where a protocol
/// lacks a capability (push on HTTP/1.1) the call is a documented no-op.
///
/// Misuse throws `rodeo::usage_error` with a message that says what to do instead.

#include <caf/fwd.hpp>

#include <cstdint>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "rodeo/bad_request.hpp"
#include "rodeo/bindings.hpp"
#include "rodeo/body_bytes.hpp"
#include "rodeo/error_page.hpp"
#include "rodeo/errors.hpp"
#include "rodeo/headers.hpp"
#include "rodeo/http/cookies.hpp"
#include "rodeo/http/parse_header.hpp"
#include "rodeo/http/qs.hpp"
#include "rodeo/meta.hpp"
#include "rodeo/push.hpp"
#include "rodeo/push_policy.hpp"
#include "rodeo/request_head.hpp"
#include "rodeo/response_state.hpp"

namespace rodeo {

class early_hints;

class stream_link;
class handler_base;

class push_digest;

class req {
 public:
  /// Built by the connection for its request actor. `link` carries commands to the connection.
  req(request_head head, std::shared_ptr<stream_link> link, std::string peer, bool pushed);
  ~req();
  req(const req&) = delete;
  req& operator=(const req&) = delete;

  // --- the request ---
  const std::string& method() const { return head_.method; }
  const std::string& scheme() const { return head_.scheme; }
  /// Host without the port, lowercase.
  const std::string& host() const { return host_; }
  /// Port from the authority, else the scheme's default.
  std::uint16_t port() const { return port_; }
  const std::string& path() const { return head_.path; }
  /// Query string without the '?'.
  const std::string& qs() const { return head_.qs; }
  /// "HTTP/1.0", "HTTP/1.1" or "HTTP/2".
  const std::string& version() const { return head_.version; }
  /// Peer address as "ip:port".
  const std::string& peer() const { return peer_; }
  /// Request header fields, lowercase names.
  const rodeo::headers& headers() const { return head_.fields; }
  /// The first value of `name` (lowercase), if present.
  std::optional<std::string_view> header(std::string_view name) const;
  /// The stream id (HTTP/2) or sequence number on the connection (HTTP/1.1).
  stream_id stream() const;
  /// True when this request was synthesized by a push (RFC 9113 §8.4).
  bool is_pushed() const { return pushed_; }
  const request_head& head() const { return head_; }

  /// Rewrites the path before routing (a middleware's tool); clears nothing else.
  void set_path(std::string path) { head_.path = std::move(path); }

  // --- parsing (rodeo/http) ---
  // Thin wrappers over the pure parsers of rodeo/http for this request's query string and
  // header fields (req_parse.cpp). What the client got wrong throws rodeo::bad_request, which
  // the request actor answers with 400 and the message (Cowboy's request_error); an absent
  // field is std::nullopt.

  /// The query string as decoded pairs, in order (http::parse_qs). Throws bad_request if it
  /// is malformed (a bad %-escape, `=v`, more than 100 pairs).
  [[nodiscard]] http::qs_pairs parse_qs() const;
  /// cowboy_req:match_qs: only the listed fields, constraints applied, defaults for absent
  /// ones (http::match_qs). Throws bad_request naming the field that is missing or refused.
  [[nodiscard]] http::qs_values match_qs(const std::vector<http::qs_field>& fields) const;
  /// The Cookie header(s) as (name, value) pairs (http::parse_cookies); none: empty. Throws
  /// bad_request if malformed.
  [[nodiscard]] http::cookie_pairs parse_cookies() const;
  /// Adds a `set-cookie` field to the response (http::set_cookie_value, through
  /// set_resp_header). Throws usage_error for an invalid name, value or option, or after the
  /// response started.
  void set_resp_cookie(std::string_view name, std::string_view value,
                       const http::cookie_options& opts = {});

  // Typed header fields: one accessor per field, named after it. std::nullopt when the field
  // is absent. Several fields of one name are combined as one list (RFC 9110 §5.3). A
  // malformed value throws bad_request, except where RFC 9110 tells the server to ignore it
  // (If-Modified-Since, If-Unmodified-Since §13.1.3-4, Range §14.2): those give std::nullopt.

  /// Accept (RFC 9110 §12.5.1), most preferred first.
  [[nodiscard]] std::optional<std::vector<http::media_range>> parse_accept() const;
  /// Accept-Charset (RFC 9110 §12.5.2), highest quality first.
  [[nodiscard]] std::optional<std::vector<http::weighted_token>> parse_accept_charset() const;
  /// Accept-Encoding (RFC 9110 §12.5.3), highest quality first.
  [[nodiscard]] std::optional<std::vector<http::weighted_token>> parse_accept_encoding() const;
  /// Accept-Language (RFC 9110 §12.5.4), highest quality first.
  [[nodiscard]] std::optional<std::vector<http::weighted_token>> parse_accept_language() const;
  /// Content-Type (RFC 9110 §8.3).
  [[nodiscard]] std::optional<http::media_type> parse_content_type() const;
  /// Content-Length (RFC 9110 §8.6).
  [[nodiscard]] std::optional<std::uint64_t> parse_content_length() const;
  /// If-Match (RFC 9110 §13.1.1).
  [[nodiscard]] std::optional<http::etag_list> parse_if_match() const;
  /// If-None-Match (RFC 9110 §13.1.2).
  [[nodiscard]] std::optional<http::etag_list> parse_if_none_match() const;
  /// If-Modified-Since (RFC 9110 §13.1.3), seconds since the epoch; an invalid date: nullopt.
  [[nodiscard]] std::optional<std::time_t> parse_if_modified_since() const;
  /// If-Unmodified-Since (RFC 9110 §13.1.4); an invalid date: nullopt.
  [[nodiscard]] std::optional<std::time_t> parse_if_unmodified_since() const;
  /// Range (RFC 9110 §14.2), bytes ranges as sent; another unit or a bad value: nullopt.
  [[nodiscard]] std::optional<std::vector<http::byte_range>> parse_range() const;

  // --- routing results (set by the router middleware) ---
  const rodeo::bindings& bindings() const { return bindings_; }
  /// The binding `name`; throws usage_error naming the known bindings if absent.
  const rodeo::binding& binding(std::string_view name) const;
  /// The binding `name` as T (see rodeo::binding::as); a usage_error naming the binding when
  /// it is not a T ("binding 'id' = 'abc' is not a 64-bit integer").
  template <class T>
  T binding(std::string_view name) const {
    return binding(name).template as<T>(name);
  }
  /// The binding `name`'s text, or `def` when the route did not bind it (an optional group).
  std::string binding(std::string_view name, std::string_view def) const;
  /// The binding `name` as T, or `def` when the route did not bind it:
  /// `req.binding<std::int64_t>("page", 1)`.
  template <class T>
  T binding(std::string_view name, std::type_identity_t<T> def) const {
    auto i = bindings_.find(name);
    return i == bindings_.end() ? def : i->second.template as<T>();
  }
  /// The pattern of the route that matched ("/hats/:id"); empty before the router ran.
  const std::string& route() const { return route_; }
  /// The matched route's name (rodeo::router::path_rule::named), or empty.
  const std::string& route_name() const { return route_name_; }
  const path_tokens& host_info() const { return host_info_; }
  const path_tokens& path_info() const { return path_info_; }

  // --- the per-request store (rodeo/meta.hpp): middlewares write, the handler reads ---
  rodeo::meta& meta() { return meta_; }
  const rodeo::meta& meta() const { return meta_; }

  // --- the request body ---
  /// True if the request has a body to read.
  bool has_body() const { return head_.has_body; }
  std::optional<std::uint64_t> body_length() const { return head_.content_length; }
  /// Reads the whole body, then calls `done(req, body)` from the request actor. If the body
  /// exceeds `limit`, `done` is not called: the framework replies 413 (if nothing was sent).
  /// The handler returns from init without replying; the actor waits for the body.
  void read_body(std::function<void(req&, std::string)> done, std::size_t limit = 8 * 1024 * 1024);
  /// Reads the body chunk by chunk as it arrives; the last call has fin == true.
  void read_body_chunks(std::function<void(req&, std::string_view chunk, bool fin)> on_chunk);

  // --- the response ---
  /// Adds a header to the final response (cookies, per-route policy from middlewares).
  void set_resp_header(std::string name, std::string value);
  const rodeo::headers& resp_headers() const { return resp_headers_; }
  /// 1xx informational response (100, 103...). Allowed before the final response only.
  void inform(int status, const rodeo::headers& fields = {});
  /// The complete response. `body` is a string (moved, not copied) or, for bytes many
  /// responses send (a cached file), `body_bytes::share(buffer)`: the buffer then reaches
  /// the wire without a copy.
  void reply(int status, const rodeo::headers& fields = {}, body_bytes body = {});
  /// An error response through the error pages (rodeo/error_page.hpp): this request's
  /// (set_error_page), else the listener's, renders the body and its content-type; without
  /// one, `text` is the body as text/plain (empty: no body). `fields` are added (`allow` on a
  /// 405...), after the headers set with set_resp_header.
  void reply_error(int status, const rodeo::headers& fields = {}, std::string text = {});
  /// This request's error page, asked before the listener's (a route's middleware or its
  /// handler sets it: "this route answers errors as JSON").
  void set_error_page(error_page_fn page) { error_page_ = std::move(page); }
  /// Starts a streamed response; continue with stream_body / stream_trailers.
  void stream_reply(int status, const rodeo::headers& fields = {});
  /// A piece of the streamed body; fin ends it.
  ///
  /// Back-pressure: once `stream_output_window` bytes went out since the connection last
  /// said the stream drained, the request actor holds the messages that would make the
  /// handler produce more (loop handlers' `info`) until the connection's output for this
  /// stream, for the connection and for the listener is back within its limits. A handler
  /// that calls stream_body in a loop within one callback bypasses this: send a piece per
  /// message, or continue from `on_drain`.
  void stream_body(body_bytes data, bool fin = false);
  /// See stream_body.
  static constexpr std::size_t stream_output_window = 128 * 1024;
  /// Trailer fields; ends the streamed response.
  void stream_trailers(const rodeo::headers& fields);
  /// True once the final response has started (reply or stream_reply).
  bool replied() const { return !before_final(state_); }
  /// True once the response is complete (reply, or stream_body fin, or trailers).
  bool finished() const { return response_over(state_); }
  /// Bytes handed to the connection for the body so far.
  std::uint64_t body_bytes_sent() const { return bytes_sent_; }

  /// Calls `ready(req)` once this stream's queued output has drained below a low-water mark,
  /// so a handler streaming a large body sends its next piece only when the client reads.
  void on_drain(std::function<void(req&)> ready);

  // --- server push (RFC 9113 §8.4) ---
  /// Promises a resource; see rodeo/push.hpp for the contract. Returns whether the push
  /// reached the wire or why not; throws usage_error for handler mistakes.
  push_outcome push(std::string_view path, const rodeo::headers& fields = {},
                    const push_options& opts = {});
  /// The outcome of every push this request made, in order (a push the client could not
  /// take may be `hinted`: sent as a preload link in a `103 Early Hints`, push_policy.hpp).
  const std::vector<push_outcome>& pushes() const { return pushes_; }

  /// Calls `hook(req, status, fields)` when the handler replies (reply or stream_reply),
  /// before the response leaves: `fields` are the response's (set_resp_header's and the
  /// call's), which the hook may read and change, and the hook may still push. Hooks run in
  /// the order they were added, once. Middlewares use it (mw::preload_push).
  using reply_hook = std::function<void(req&, int status, rodeo::headers& fields)>;
  void on_reply(reply_hook hook);

  // --- the request actor ---
  /// The request actor running this request (loop handlers send themselves timers with it,
  /// or hand it to other actors).
  caf::event_based_actor* self() const { return self_; }

 private:
  // The framework's side of a req, out of a handler's reach: the request actor and the
  // router and handler middlewares reach these through rodeo::req_access (an internal
  // header), so `req.link()` or `req.send_crash()` does not compile in a handler.
  friend class req_access;

  void set_route(rodeo::bindings b, path_tokens host_info, path_tokens path_info);
  void set_route_info(std::string pattern, std::string name) {
    route_ = std::move(pattern);
    route_name_ = std::move(name);
  }
  void bind_actor(caf::event_based_actor* self) { self_ = self; }
  stream_link& link() { return *link_; }
  void deliver_body(std::string_view data, bool fin);
  void deliver_drain();
  void open_tunnel(int status, const rodeo::headers& fields,
                   std::function<void(req&, std::string_view, bool)> on_bytes);
  bool waiting() const;                      // a body read or drain callback is pending
  bool blocked() const { return blocked_; }  // stream_body back-pressure: hold messages
  void send_crash();      // the handler threw: 500, or reset if the reply had started
  void finish_default();  // the handler ended: 204 if nothing was sent
  /// The handler middleware hands the handler object to the req, which keeps it for the
  /// request actor's lifetime (loop handlers, pending body reads, drain callbacks).
  handler_base& keep_handler(std::unique_ptr<handler_base> h);
  handler_base* handler() const { return handler_.get(); }
  void set_looping(bool v) { looping_ = v; }
  bool looping() const { return looping_; }
  void set_push_policy(rodeo::push_policy p) { push_policy_ = p; }
  /// Sends the early hints gathered since the last flush as one 103 (push_policy.hpp); the
  /// request actor calls it at the end of each turn, and every response call before its own.
  void flush_hints();
  /// Whether a push skipped for `why` becomes an early hint under `policy`.
  bool hintable(push_skip why, rodeo::push_policy policy, const push_delivery& d) const;

  /// Moves the response state by `e`, or throws the usage_error for the misuse `call` made.
  /// Returns the effect (send, or drop once the stream is reset).
  response_effect advance(response_event e, const char* call);
  rodeo::headers merged(const rodeo::headers& fields) const;
  /// The error pages' body for `status`, or nullopt (none, it declined, or it threw).
  std::optional<error_body> render_error(int status, std::string_view reason) const;
  /// The final response's fields: merged, after the reply hooks, with the digest cookie.
  rodeo::headers final_fields(int status, const rodeo::headers& fields);

  request_head head_;
  std::shared_ptr<stream_link> link_;
  std::string peer_;
  std::string host_;
  std::uint16_t port_ = 0;
  bool pushed_ = false;

  rodeo::bindings bindings_;
  path_tokens host_info_, path_info_;
  std::string route_, route_name_;
  rodeo::meta meta_;
  rodeo::headers resp_headers_;

  response_state state_ = response_state::idle;
  std::uint64_t bytes_sent_ = 0;
  std::size_t unacked_ = 0;  // streamed since the last drain notice
  bool blocked_ = false;     // a drain notice is awaited before the handler goes on

  // body reading
  std::string body_;
  bool body_complete_ = false, body_overflow_ = false;
  std::size_t body_limit_ = 0;
  std::function<void(req&, std::string)> body_done_;
  std::function<void(req&, std::string_view, bool)> body_chunk_;
  std::function<void(req&)> drain_;

  std::vector<push_outcome> pushes_;
  std::optional<rodeo::push_policy> push_policy_;  // the route's; else the listener's
  std::unique_ptr<early_hints> hints_;
  std::vector<reply_hook> reply_hooks_;
  std::unique_ptr<push_digest> digest_;  // made by the first push, when the listener wants it
  caf::event_based_actor* self_ = nullptr;
  std::unique_ptr<handler_base> handler_;
  bool looping_ = false;
  error_page_fn error_page_;
  std::shared_ptr<const error_page_fn> listener_error_page_;
};

}  // namespace rodeo
