// The inbound half of the HTTP/2 engine: request header blocks, bodies and their limits.

#include <algorithm>
#include <string_view>

#include "rodeo/internal/protocol/http2/engine.hpp"
#include "rodeo/internal/protocol/http2/header_block.hpp"
#include "rodeo/internal/protocol/http2/session.hpp"
#include "rodeo/internal/protocol/request_head_builder.hpp"

namespace rodeo::http2 {

int engine::fail(std::uint32_t code) {
  fail_code_ = code;
  return NGHTTP2_ERR_CALLBACK_FAILURE;  // fatal: feed sends GOAWAY(fail_code_)
}

int engine::on_headers_frame(stream_id id) {
  // RFC 9113 §5.1.1: an identifier below the highest the client used, never opened, was
  // implicitly closed from idle; HEADERS on it is a connection error. Even identifiers are
  // nghttp2's (a client may not open them).
  if ((id & 1) != 0 && stream_ids_.never_opened(id)) return fail(NGHTTP2_PROTOCOL_ERROR);
  return 0;
}

int engine::on_begin_request(stream_id id) {
  // RFC 9113 §5.1.2: open and half-closed streams count. nghttp2 knows a higher limit (see
  // the file comment of engine.hpp) and has already counted this stream; pushed streams
  // (even) count against the client's limit, not ours.
  auto open = std::count_if(streams_.begin(), streams_.end(),
                            [](const auto& kv) { return (kv.first & 1) != 0; });
  if (static_cast<std::uint64_t>(open) >= limits_.max_concurrent_streams) {
    if (!refused_.take()) return fail(NGHTTP2_ENHANCE_YOUR_CALM);  // §10.5
    // REFUSED_STREAM: not processed, the client may retry it (§8.7). The callback failure
    // makes nghttp2 skip the block's fields (it only inflates them); its own RST_STREAM is
    // not sent since ours is queued.
    nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, id, NGHTTP2_REFUSED_STREAM);
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  }
  streams_.try_emplace(id);
  return 0;
}

int engine::on_request_field(stream_id id, std::string_view name, std::string_view value) {
  auto* s = find(id);
  if (!s) return 0;
  s->add_field(name, value, limits_.max_header_block);
  return s->header_overflow ? header_overflow(id, *s) : 0;
}

int engine::on_trailer_field(stream_id id, std::string_view name, std::string_view value) {
  // Trailers have no event in the protocol contract: only their size matters.
  auto* s = find(id);
  if (!s || s->header_overflow) return 0;
  s->trailer_bytes += name.size() + value.size() + 32;  // RFC 9113 §6.5.2
  if (s->trailer_bytes <= limits_.max_header_block) return 0;
  s->header_overflow = true;
  return header_overflow(id, *s);
}

int engine::header_overflow(stream_id id, detail::stream& s) {
  // RFC 9113 §10.5.1. Stop here: every further field of this block would cost nghttp2's
  // validation (and an HPACK bomb has thousands). The callback failure makes nghttp2 only
  // inflate the rest of the block, which keeps the HPACK state in sync (§4.3).
  if (!oversized_.take()) return fail(NGHTTP2_ENHANCE_YOUR_CALM);  // §10.5
  s.rejected = !s.reported;
  s.head = {};
  // Our RST_STREAM code instead of nghttp2's INTERNAL_ERROR (a queued RST_STREAM makes it
  // skip its own). A reported stream hears on_stream_reset when nghttp2 closes it.
  nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, id, NGHTTP2_ENHANCE_YOUR_CALM);
  return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
}

void engine::on_request_headers(stream_id id, bool end_stream) {
  auto* s = find(id);
  if (!s) return;
  if (shutdown_ || fatal_) {
    // After GOAWAY no new request is processed; REFUSED_STREAM tells the client it may
    // retry it (RFC 9113 §8.7).
    s->rejected = true;
    nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, id, NGHTTP2_REFUSED_STREAM);
    return;
  }
  if (s->head.content_length && *s->head.content_length > limits_.max_body)
    return reject(id, *s, 413);  // RFC 9110 §15.5.14, before any body is read
  s->finish_head(tls_, end_stream);
  s->tunnel = s->head.method == "CONNECT" && !s->head.protocol.empty();
  s->reported = true;
  if (s->head.has_body && rodeo::detail::expects_continue(s->head)) {
    // RFC 9110 §10.1.1: a client that expects 100-continue may hold its content back until
    // it sees a 100, so it goes out at once, before the request actor even starts (as the
    // HTTP/1.1 engine does).
    detail::header_block block;
    block.add(":status", "100");
    nghttp2_submit_headers(session_.get(), NGHTTP2_FLAG_NONE, id, nullptr, block.data(),
                           block.size(), nullptr);
  }
  request_head head = std::move(s->head);
  s->head = {};
  // May call back into the engine (a reply); `s` stays valid: std::map nodes are stable and
  // streams are only erased by nghttp2's stream close.
  events_.on_request(id, std::move(head));
}

void engine::on_data(stream_id id, std::string_view data, bool end_stream_frame) {
  auto* s = find(id);
  if (!s || !s->reported || s->detached) return;  // rejected or unknown: nghttp2 discards
  s->body_bytes += data.size();
  // An extended CONNECT's DATA is a tunnel (RFC 8441 §5: WebSocket frames), not a body:
  // flow control bounds what is in flight, and the WebSocket its messages.
  if (s->body_bytes > limits_.max_body && !s->tunnel) return body_overflow(id, *s);
  if (end_stream_frame)
    // The last DATA frame may come in several chunks: hand it over with fin at frame end.
    s->body_tail.append(data);
  else if (!data.empty())
    events_.on_body(id, data, false);
}

void engine::on_request_end(stream_id id) {
  auto* s = find(id);
  if (!s || !s->reported || s->detached) return;
  std::string tail = std::move(s->body_tail);
  s->body_tail.clear();
  events_.on_body(id, tail, true);
}

void engine::reject(stream_id id, detail::stream& s, int status) {
  // Headers-only with END_STREAM. Once it is sent, on_response_frame_sent adds
  // RST_STREAM(NO_ERROR) if the request is still arriving (RFC 9113 §8.1).
  s.rejected = true;
  s.response = response_state::done;
  s.submitted = true;
  s.head = {};
  detail::header_block block;
  block.add_owned(":status", std::to_string(status));
  block.add("content-length", "0");
  nghttp2_submit_response(session_.get(), id, block.data(), block.size(), nullptr);
}

void engine::body_overflow(stream_id id, detail::stream& s) {
  // Above max_body the request actor must stop: the connection hears it now, and nothing
  // more about this stream. The client gets 413 if no response started, else a reset.
  s.detached = true;
  s.body_tail.clear();
  s.drop_queued();
  s.held.reset();
  events_.on_stream_reset(id, NGHTTP2_CANCEL);
  if (before_final(s.response))
    reject(id, s, 413);
  else if (!s.response_complete)
    nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
}

}  // namespace rodeo::http2
