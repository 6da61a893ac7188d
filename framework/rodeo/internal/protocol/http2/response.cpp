// The outbound half of the HTTP/2 engine: responses, bodies, trailers and stream ends.

#include "rodeo/internal/protocol/http2/engine.hpp"
#include "rodeo/internal/protocol/http2/header_block.hpp"
#include "rodeo/internal/protocol/http2/session.hpp"

#include <algorithm>

namespace rodeo::http2 {

namespace {

// RFC 9110 §6.4.1: 204 and 304 responses carry no content (and HEAD responses, §9.3.2).
bool bodyless_status(int status) { return status == 204 || status == 304; }

}  // namespace

void engine::inform(stream_id id, int status, const headers& fields) {
  auto* s = commandable(id);
  // RFC 9113 §8.1: 1xx before the final response; 101 does not exist in HTTP/2 (§8.6).
  if (!s || status < 100 || status > 199 || status == 101) return;
  // A pushed stream still held has no HEADERS on the wire yet: hints for a response the
  // client did not ask for are not worth reordering, so they are dropped.
  if (must_hold(*s) || !s->take(response_event::inform)) return;
  detail::header_block block;
  block.add_owned(":status", std::to_string(status));
  block.add_fields(fields);
  nghttp2_submit_headers(session_.get(), NGHTTP2_FLAG_NONE, id, nullptr, block.data(), block.size(),
                         nullptr);
}

void engine::reply(stream_id id, int status, const headers& fields, body_bytes body) {
  if (status < 200) return inform(id, status, fields);
  auto* s = commandable(id);
  if (!s || !s->take(response_event::reply)) return;
  detail::held_response r{status, fields, std::nullopt};
  if (!bodyless_status(status)) {
    r.content_length = body.size();
    // A HEAD reply may state the length the GET would have had without the body itself.
    if (s->head_request && body.empty())
      if (has_header(fields, "content-length")) r.content_length.reset();
  }
  s->no_body = s->head_request || bodyless_status(status);
  if (!s->no_body) s->queue(std::move(body));
  start_response(id, *s, std::move(r));
}

void engine::stream_reply(stream_id id, int status, const headers& fields) {
  if (status < 200) return inform(id, status, fields);
  auto* s = commandable(id);
  if (!s || !s->take(response_event::stream_reply)) return;
  s->no_body = s->head_request || bodyless_status(status);
  // END_STREAM on HEADERS: the body ends at once, and later body calls are dropped.
  if (s->no_body) s->take(response_event::body_fin);
  start_response(id, *s, detail::held_response{status, fields, std::nullopt});
}

void engine::stream_body(stream_id id, body_bytes data, bool fin) {
  auto* s = commandable(id);
  if (!s || !s->take(fin ? response_event::body_fin : response_event::body)) return;
  s->queue(std::move(data));
  resume(id, *s);
}

void engine::stream_trailers(stream_id id, const headers& fields) {
  auto* s = commandable(id);
  if (!s || !s->take(response_event::trailers)) return;
  if (!fields.empty()) s->trailers = fields;
  resume(id, *s);
}

void engine::reset_stream(stream_id id) { reset_stream(id, NGHTTP2_INTERNAL_ERROR); }

void engine::cancel_stream(stream_id id) { reset_stream(id, NGHTTP2_CANCEL); }

void engine::reset_stream(stream_id id, std::uint32_t error_code) {
  auto* s = commandable(id);
  // A complete response is delivered whole, even while flow control still holds its body:
  // a handler that replied and then threw must not lose the reply (response_state).
  if (!s || !s->take(response_event::reset)) return;
  s->drop_queued();
  s->held.reset();
  // The close reports on_stream_reset(id, error_code): one end event per stream.
  nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, id, error_code);
}

std::size_t engine::queued_bytes(stream_id id) const {
  auto* s = find(id);
  return s ? s->queued() : 0;
}

std::size_t engine::queued_total() const {
  std::size_t n = out_.size();
  for (const auto& [id, s] : streams_) n += s.queued();
  return n;
}

void engine::time_out() { shutdown(); }

bool engine::flow_blocked(stream_id id) const {
  auto* s = find(id);
  if (!s || !s->submitted || s->queued() == 0) return false;
  // The usable window is the smaller of the stream's and the connection's (RFC 9113 §5.2.1).
  auto* session = session_.get();
  return nghttp2_session_get_stream_remote_window_size(session, static_cast<std::int32_t>(id)) <=
             0 ||
         nghttp2_session_get_remote_window_size(session) <= 0;
}

bool engine::connection_window_closed() const {
  return nghttp2_session_get_remote_window_size(session_.get()) <= 0;
}

void engine::start_response(stream_id id, detail::stream& s, detail::held_response r) {
  if (must_hold(s)) {
    s.held = std::move(r);
    return;
  }
  submit_response(id, s, r);
}

void engine::submit_response(stream_id id, detail::stream& s, const detail::held_response& r) {
  // Here, not at reply time: a pushed response is released once its PUSH_PROMISE is out, and
  // a RST_STREAM sent before it would name a stream the client does not know.
  if (s.parent != 0 && r.status >= 400) {
    if (!nghttp2_session_find_stream(session_.get(), static_cast<std::int32_t>(id))) {
      s.held = r;  // the promise is not out yet: on_promise_sent comes back here
      return;
    }
    // An error nobody asked for is not worth the link (h2o does the same): the promised
    // stream is cancelled (RFC 9113 §8.4 lets the server reset it), its response dropped.
    s.drop_queued();
    nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
    return;
  }
  detail::header_block block;
  block.add_owned(":status", std::to_string(r.status));
  if (r.content_length) {
    block.add_fields(r.fields, "content-length");
    block.add_owned("content-length", std::to_string(*r.content_length));
  } else {
    block.add_fields(r.fields);
  }
  // RFC 9110 §6.6.1: an origin server with a clock sends `date`; §10.2.4 `server`. A
  // handler's own field wins, as in HTTP/1.1.
  if (send_date_ && !has_header(r.fields, "date"))
    block.add_owned("date", std::string{date_cache_.now()});
  if (!server_.empty() && !has_header(r.fields, "server")) block.add_owned("server", server_);
  if (!alt_svc_.empty() && !has_header(r.fields, "alt-svc")) block.add_owned("alt-svc", alt_svc_);
  s.submitted = true;
  // Without content to come, END_STREAM goes on the HEADERS frame.
  const bool ends = s.response == response_state::done;
  const bool headers_only = s.no_body || (ends && s.queued() == 0 && !s.trailers);
  auto provider = detail::session_access::body_provider();
  nghttp2_submit_response(session_.get(), id, block.data(), block.size(),
                          headers_only ? nullptr : &provider);
}

void engine::resume(stream_id id, detail::stream& s) {
  if (s.submitted && s.deferred) {
    s.deferred = false;
    nghttp2_session_resume_data(session_.get(), id);
  }
}

// The body's bytes are not copied into nghttp2's frame buffer (NGHTTP2_DATA_FLAG_NO_COPY):
// send_body appends the frame header and the bytes straight to the output, a shared body
// by reference. A frame takes bytes of one queued piece.
std::ptrdiff_t engine::read_body(stream_id id, std::size_t len, std::uint32_t* flags) {
  auto* s = find(id);
  if (!s) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  auto n = std::min(len, s->front_size());
  if (n > 0) *flags |= NGHTTP2_DATA_FLAG_NO_COPY;
  if (s->queued() > n) return static_cast<std::ptrdiff_t>(n);
  if (s->response != response_state::done) {
    if (n > 0) return static_cast<std::ptrdiff_t>(n);
    s->deferred = true;  // stream_body resumes it
    return NGHTTP2_ERR_DEFERRED;
  }
  *flags |= NGHTTP2_DATA_FLAG_EOF;
  if (s->trailers) {
    // RFC 9113 §8.1: trailers are a HEADERS frame with END_STREAM after the last DATA.
    *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
    detail::header_block block;
    block.add_fields(*s->trailers);
    nghttp2_submit_trailer(session_.get(), id, block.data(), block.size());
  }
  return static_cast<std::ptrdiff_t>(n);
}

int engine::send_body(stream_id id, const std::uint8_t* framehd, std::size_t length,
                      std::size_t padlen) {
  auto* s = find(id);
  if (!sink_ || !s || s->front_size() < length) return NGHTTP2_ERR_CALLBACK_FAILURE;
  // One mem_send call may write several DATA frames through here: the push burst (pump)
  // is enforced per frame. nghttp2 keeps the frame and offers it again on the next pump.
  if (early_parents_ > 0 && sink_->size() >= push_burst) return NGHTTP2_ERR_WOULDBLOCK;
  const bool by_reference = s->out.front_shared() && length >= gathered_output::share_threshold;
  auto& text = sink_->text();
  if (!by_reference && text.capacity() - text.size() < 10 + length) {
    // Room for what the streams hold (bounded) at once: growing the output by doubling
    // while a round of bulk bodies is appended would copy it about once more.
    auto expected = std::min(queued_total(), max_round_reserve);
    text.reserve(text.size() + 10 + length + expected + expected / 1024);
  }
  text.append(reinterpret_cast<const char*>(framehd), 9);
  // RFC 9113 §6.1: Pad Length, the data, then the padding (the engine asks for none).
  if (padlen > 0) text.push_back(static_cast<char>(padlen - 1));
  if (by_reference)
    sink_->append_body(s->out.front_body(length));  // the shared bytes, not a copy
  else
    text.append(s->front(length));
  if (padlen > 1) sink_->text().append(padlen - 1, '\0');
  s->consume(length);
  return 0;
}

void engine::on_response_frame_sent(stream_id id, bool data, bool end_stream) {
  auto* s = find(id);
  if (!s) return;
  if (end_stream) {
    s->response_complete = true;
    // RFC 9113 §8.1: a complete response may end a request still arriving, with
    // RST_STREAM(NO_ERROR); the client keeps the response.
    if (nghttp2_session_get_stream_remote_close(session_.get(), id) == 0)
      nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, id, NGHTTP2_NO_ERROR);
  }
  if (data || end_stream) parent_sent(*s);
}

void engine::on_stream_closed(stream_id id, std::uint32_t error_code) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  detail::stream s = std::move(it->second);
  streams_.erase(it);
  // A closed parent delays nothing any more: its pushes are independent streams.
  parent_sent(s);
  if (s.parent != 0)
    if (auto* p = find(s.parent)) std::erase(p->children, id);
  if (!s.reported || s.detached) return;
  if (s.response_complete)
    events_.on_stream_done(id);
  else
    events_.on_stream_reset(id, error_code);
}

}  // namespace rodeo::http2
