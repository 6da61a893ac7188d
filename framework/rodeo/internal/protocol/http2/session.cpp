#include "rodeo/internal/protocol/http2/session.hpp"

#include <memory>
#include <new>

namespace rodeo::http2::detail {

namespace {

engine& self(void* user) { return *static_cast<engine*>(user); }

std::string_view view(const std::uint8_t* p, std::size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

bool end_stream(const nghttp2_frame* frame) {
  return (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
}

struct callbacks_deleter {
  void operator()(nghttp2_session_callbacks* c) const noexcept { nghttp2_session_callbacks_del(c); }
};
struct option_deleter {
  void operator()(nghttp2_option* o) const noexcept { nghttp2_option_del(o); }
};

}  // namespace

nghttp2_session* session_access::make(engine& e, const options& opts) {
  nghttp2_session_callbacks* raw_cbs = nullptr;
  if (nghttp2_session_callbacks_new(&raw_cbs) != 0) throw std::bad_alloc{};
  std::unique_ptr<nghttp2_session_callbacks, callbacks_deleter> cbs{raw_cbs};
  nghttp2_session_callbacks_set_on_begin_frame_callback(raw_cbs, on_begin_frame);
  nghttp2_session_callbacks_set_on_begin_headers_callback(raw_cbs, on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(raw_cbs, on_header);
  nghttp2_session_callbacks_set_on_invalid_header_callback(raw_cbs, on_invalid_header);
  nghttp2_session_callbacks_set_on_frame_recv_callback(raw_cbs, on_frame_recv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(raw_cbs, on_data_chunk_recv);
  nghttp2_session_callbacks_set_on_frame_send_callback(raw_cbs, on_frame_send);
  nghttp2_session_callbacks_set_on_stream_close_callback(raw_cbs, on_stream_close);
  nghttp2_session_callbacks_set_send_data_callback(raw_cbs, send_body);

  nghttp2_option* raw_opt = nullptr;
  if (nghttp2_option_new(&raw_opt) != 0) throw std::bad_alloc{};
  std::unique_ptr<nghttp2_option, option_deleter> opt{raw_opt};
  nghttp2_option_set_stream_reset_rate_limit(raw_opt, opts.reset_burst, opts.reset_rate);
  nghttp2_option_set_max_continuations(raw_opt, opts.max_continuations);
  nghttp2_option_set_max_settings(raw_opt, opts.max_settings);

  nghttp2_session* session = nullptr;
  e.memory_.creating(true);
  int rv = nghttp2_session_server_new3(&session, raw_cbs, &e, raw_opt, e.memory_.mem());
  e.memory_.creating(false);
  if (rv != 0) throw std::bad_alloc{};
  return session;
}

nghttp2_data_provider session_access::body_provider() {
  nghttp2_data_provider p{};
  p.source.ptr = nullptr;  // the engine finds the stream by id
  p.read_callback = read_body;
  return p;
}

int session_access::on_begin_frame(nghttp2_session*, const nghttp2_frame_hd* hd, void* user) {
  // Called with the frame header, before nghttp2 looks at the stream: the one place to see
  // a HEADERS frame that nghttp2 would ignore silently.
  if (hd->type == NGHTTP2_HEADERS) return self(user).on_headers_frame(hd->stream_id);
  return 0;
}

int session_access::on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST)
    return self(user).on_begin_request(frame->hd.stream_id);
  return 0;
}

int session_access::on_header(nghttp2_session*, const nghttp2_frame* frame,
                              const std::uint8_t* name, std::size_t namelen,
                              const std::uint8_t* value, std::size_t valuelen, std::uint8_t,
                              void* user) {
  if (frame->hd.type != NGHTTP2_HEADERS) return 0;
  if (frame->headers.cat == NGHTTP2_HCAT_REQUEST)
    return self(user).on_request_field(frame->hd.stream_id, view(name, namelen),
                                       view(value, valuelen));
  return self(user).on_trailer_field(frame->hd.stream_id, view(name, namelen),
                                     view(value, valuelen));
}

int session_access::on_invalid_header(nghttp2_session* session, const nghttp2_frame* frame,
                                      const std::uint8_t*, std::size_t, const std::uint8_t*,
                                      std::size_t, std::uint8_t, void*) {
  // nghttp2 drops fields with invalid characters; RFC 9113 §8.2.1 makes the request
  // malformed, a stream error of type PROTOCOL_ERROR (§8.1.1).
  nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, frame->hd.stream_id,
                            NGHTTP2_PROTOCOL_ERROR);
  return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
}

int session_access::on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto& e = self(user);
  switch (frame->hd.type) {
    case NGHTTP2_HEADERS:
      if (frame->headers.cat == NGHTTP2_HCAT_REQUEST)
        e.on_request_headers(frame->hd.stream_id, end_stream(frame));
      else if (end_stream(frame))  // request trailers end the body
        e.on_request_end(frame->hd.stream_id);
      break;
    case NGHTTP2_DATA:
      if (end_stream(frame)) e.on_request_end(frame->hd.stream_id);
      break;
    case NGHTTP2_SETTINGS:
      if ((frame->hd.flags & NGHTTP2_FLAG_ACK) == 0) e.report_push_capability();
      break;
    case NGHTTP2_GOAWAY:
      e.goaway_received_ = true;
      e.report_push_capability();
      break;
    default:
      break;
  }
  return 0;
}

int session_access::on_data_chunk_recv(nghttp2_session*, std::uint8_t flags, std::int32_t stream_id,
                                       const std::uint8_t* data, std::size_t len, void* user) {
  self(user).on_data(stream_id, view(data, len), (flags & NGHTTP2_FLAG_END_STREAM) != 0);
  return 0;
}

int session_access::on_frame_send(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto& e = self(user);
  switch (frame->hd.type) {
    case NGHTTP2_HEADERS:
    case NGHTTP2_DATA:
      e.on_response_frame_sent(frame->hd.stream_id, frame->hd.type == NGHTTP2_DATA,
                               end_stream(frame));
      break;
    case NGHTTP2_PUSH_PROMISE:
      e.on_promise_sent(frame->push_promise.promised_stream_id);
      break;
    case NGHTTP2_GOAWAY:
      e.goaway_sent_ = true;
      // A GOAWAY with an error is a connection error (ours or nghttp2's, e.g. Rapid Reset):
      // the connection is beyond saving.
      if (frame->goaway.error_code != NGHTTP2_NO_ERROR) e.fatal_ = true;
      e.report_push_capability();
      break;
    default:
      break;
  }
  return 0;
}

int session_access::on_stream_close(nghttp2_session*, std::int32_t stream_id,
                                    std::uint32_t error_code, void* user) {
  self(user).on_stream_closed(stream_id, error_code);
  return 0;
}

int session_access::send_body(nghttp2_session*, nghttp2_frame* frame, const std::uint8_t* framehd,
                              std::size_t length, nghttp2_data_source*, void* user) {
  return self(user).send_body(frame->hd.stream_id, framehd, length, frame->data.padlen);
}

ssize_t session_access::read_body(nghttp2_session*, std::int32_t stream_id, std::uint8_t*,
                                  std::size_t length, std::uint32_t* data_flags,
                                  nghttp2_data_source*, void* user) {
  return self(user).read_body(stream_id, length, data_flags);
}

}  // namespace rodeo::http2::detail
