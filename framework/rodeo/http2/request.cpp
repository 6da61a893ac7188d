// The inbound half of the HTTP/2 engine: request header blocks, bodies and their limits.

#include <algorithm>
#include <string_view>

#include "rodeo/http2/engine.hpp"
#include "rodeo/http2/header_block.hpp"
#include "rodeo/http2/session.hpp"

namespace rodeo::http2 {

namespace {

bool expects_continue(const request_head& head) {
  constexpr std::string_view token = "100-continue";  // case-insensitive (RFC 9110 §10.1.1)
  auto lower = [](char ch) { return ch >= 'A' && ch <= 'Z' ? char(ch - 'A' + 'a') : ch; };
  for (const auto& [name, value] : head.fields)
    if (name == "expect" && value.size() == token.size() &&
        std::equal(value.begin(), value.end(), token.begin(),
                   [&](char a, char b) { return lower(a) == b; }))
      return true;
  return false;
}

}  // namespace

void engine::on_begin_request(stream_id id) { streams_.try_emplace(id); }

void engine::on_request_field(stream_id id, std::string_view name, std::string_view value) {
  if (auto* s = find(id)) s->add_field(name, value, limits_.max_header_block);
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
  if (s->header_overflow) return reject(id, *s, 431);  // RFC 6585 §5
  if (s->head.content_length && *s->head.content_length > limits_.max_body)
    return reject(id, *s, 413);  // RFC 9110 §15.5.14, before any body is read
  s->finish_head(tls_, end_stream);
  s->reported = true;
  if (s->head.has_body && expects_continue(s->head)) {
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
  if (s->body_bytes > limits_.max_body) return body_overflow(id, *s);
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
  s.final_started = true;
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
  s.out.clear();
  s.out_off = 0;
  s.held.reset();
  events_.on_stream_reset(id, NGHTTP2_CANCEL);
  if (!s.final_started)
    reject(id, s, 413);
  else if (!s.response_complete)
    nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
}

}  // namespace rodeo::http2
