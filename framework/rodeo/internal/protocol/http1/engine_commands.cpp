// The command half of the HTTP/1.1 engine: what the request actors ask for (1xx, replies,
// streamed bodies, trailers, resets), serialized into each stream's place in the pipeline.
// The input half, the pipeline and the output live in engine.cpp.

#include "rodeo/internal/protocol/http1/engine.hpp"

#include <algorithm>
#include <charconv>

#include "rodeo/internal/protocol/http1/field_syntax.hpp"

namespace rodeo::http1 {

namespace {

bool informational(int status) { return status >= 100 && status < 200; }

// RFC 9110 §6.4.1: 1xx, 204 and 304 responses never carry content.
bool bodiless(int status) { return informational(status) || status == 204 || status == 304; }

// The handler's content-length, when it gave a valid one.
std::optional<std::uint64_t> declared_length(const headers& fields) {
  for (const auto& [name, value] : fields) {
    if (!iequals(name, "content-length")) continue;
    auto v = trim_ows(value);
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || ec != std::errc{} || end != v.data() + v.size()) return std::nullopt;
    return n;
  }
  return std::nullopt;
}

bool asks_close(const headers& fields) {
  for (const auto& [name, value] : fields)
    if (iequals(name, "connection") && has_token(value, "close")) return true;
  return false;
}

}  // namespace

head_extras engine::extras_for(stream& s, const headers& fields) {
  // RFC 9112 §9.6: the handler may end the connection too.
  if (asks_close(fields)) s.close = true;
  // Graceful shutdown: the last response announces the close.
  if (shutdown_ && &s == &streams_.back()) s.close = true;
  // RFC 9110 §10.1.1: a client still waiting for 100 Continue may never send the body it
  // announced; only closing ends the exchange cleanly.
  if (s.expect_continue && !s.continue_sent && !s.body_done) s.close = true;
  head_extras extras;
  if (s.close) {
    close_after(s);
    extras.connection = "close";
  } else if (s.echo_keep_alive) {
    extras.connection = "keep-alive";  // RFC 9112 §9.3: HTTP/1.0 persistence is opt-in
  }
  extras.date = date();
  extras.server = options_.server;
  extras.alt_svc = options_.alt_svc;
  return extras;
}

// --- commands ------------------------------------------------------------------------------

engine::stream* engine::accept(stream_id id, response_event e) {
  auto* s = find_open(id);
  if (s == nullptr) return nullptr;
  // A command the response state refuses (out of order) is dropped: req already told the
  // handler; nothing the engine could write would be valid HTTP.
  auto step = next_response_state(s->response, e);
  if (step.effect != response_effect::send) return nullptr;
  s->response = step.next;
  return s;
}

void engine::inform(stream_id id, int status, const headers& fields) {
  // RFC 9110 §15.2: no 1xx to an HTTP/1.0 client, none after the final response; 101 is
  // the engine's own (h2c upgrade).
  if (!informational(status) || status == 101) return;
  if (auto* s = find_open(id); s == nullptr || s->http10) return;
  auto* s = accept(id, response_event::inform);
  if (s == nullptr) return;
  std::string head;
  write_status_line(head, status);
  write_fields(head, fields);
  head += "\r\n";
  emit(*s, head);
}

void engine::reply(stream_id id, int status, const headers& fields, body_bytes body) {
  auto* s = accept(id, response_event::reply);
  if (s == nullptr) return;
  auto extras = extras_for(*s, fields);
  // RFC 9110 §8.6: never a content-length in 1xx or 204; a 304 or a body-less HEAD answer
  // may carry the length the GET response would have had, which only the handler knows.
  if (status == 304 || (s->head_request && body.empty() && declared_length(fields)))
    extras.keep_content_length = true;
  else if (!informational(status) && status != 204)
    extras.content_length = body.size();
  std::string head;
  write_response_head(head, status, fields, extras);
  emit(*s, head);
  if (!bodiless(status) && !s->head_request) emit_body(*s, std::move(body));
  advance();
}

void engine::stream_reply(stream_id id, int status, const headers& fields) {
  if (status == 101) {
    // Only a WebSocket upgrade request, first in line, is answered 101 (RFC 9110 §15.2.2:
    // the protocol switches right after the 101's empty line); anything else is a mistake
    // no bytes could express: the stream is cut.
    auto* s = find_open(id);
    if (s == nullptr || !s->websocket || !s->first || !before_final(s->response))
      return reset_stream(id);
    s = accept(id, response_event::stream_reply);
    if (s != nullptr) open_tunnel(*s, fields);
    return;
  }
  auto* s = accept(id, response_event::stream_reply);
  if (s == nullptr) return;
  auto length = declared_length(fields);
  bool keep_length = false, chunked = false;
  if (bodiless(status) || s->head_request) {
    s->body_framing = framing::none;
    keep_length = length && !informational(status) && status != 204;
  } else if (length) {
    s->body_framing = framing::length;
    s->remaining = *length;
    keep_length = true;
  } else if (!s->http10) {
    s->body_framing = framing::chunked;  // RFC 9112 §7.1
    chunked = true;
  } else {
    // RFC 9112 §6.3: an HTTP/1.0 client learns the end of the body from the close.
    s->body_framing = framing::close;
    s->close = true;
  }
  auto extras = extras_for(*s, fields);
  extras.keep_content_length = keep_length;
  extras.chunked = chunked;
  std::string head;
  write_response_head(head, status, fields, extras);
  emit(*s, head);
}

// RFC 6455 §4.2.2 item 5: the 101 with the handler's fields (sec-websocket-accept...), then
// the connection's bytes are the stream's both ways.
void engine::open_tunnel(stream& s, const headers& fields) {
  std::string head;
  write_status_line(head, 101);
  write_fields(head, fields);
  write_field(head, "connection", "Upgrade");
  write_field(head, "upgrade", "websocket");
  head += "\r\n";
  emit(s, head);
  s.body_framing = framing::close;
  tunnel_ = s.id;
  websocket_asked_ = false;
  std::string early = std::exchange(input_, {});
  if (!early.empty()) events_.on_body(s.id, early, false);
}

void engine::stream_body(stream_id id, body_bytes data, bool fin) {
  auto* s = accept(id, fin ? response_event::body_fin : response_event::body);
  if (s == nullptr) return;
  switch (s->body_framing) {
    case framing::chunked: {
      std::string chunk;
      const bool by_reference = data.size() >= gathered_output::adopt_threshold ||
                                (data.shared() && data.size() >= gathered_output::share_threshold);
      if (by_reference) {
        // The chunk's size line, the shared bytes by reference, then the CRLF (RFC 9112 §7.1).
        write_chunk_size(chunk, data.size());
        emit(*s, chunk);
        emit_body(*s, std::move(data));
        chunk = "\r\n";
      } else {
        write_chunk(chunk, data);
      }
      if (fin) write_last_chunk(chunk, {});
      emit(*s, chunk);
      break;
    }
    case framing::length: {
      auto n = static_cast<std::size_t>(std::min<std::uint64_t>(data.size(), s->remaining));
      s->remaining -= n;
      // RFC 9112 §6.3: bytes past content-length would be taken for the next response, and
      // a body cut short can only be told by closing; either way the connection ends.
      if (n < data.size() || (fin && s->remaining > 0)) close_after(*s);
      emit_body(*s, n == data.size() ? std::move(data) : data.substr(0, n));
      break;
    }
    case framing::close:
      emit_body(*s, std::move(data));
      break;
    case framing::none:
      break;
  }
  if (fin) advance();
}

void engine::stream_trailers(stream_id id, const headers& fields) {
  auto* s = accept(id, response_event::trailers);
  if (s == nullptr) return;
  if (s->body_framing == framing::chunked) {
    std::string last;
    write_last_chunk(last, fields);  // RFC 9112 §7.1.2
    emit(*s, last);
  } else if (s->body_framing == framing::length && s->remaining > 0) {
    close_after(*s);
  }
  // Without chunked coding trailers have no place on the wire: they are dropped, which
  // RFC 9110 §6.5.1 allows.
  advance();
}

void engine::reset_stream(stream_id id) {
  // A complete response is not open any more: it is delivered whole (response_state).
  auto* s = accept(id, response_event::reset);
  if (s == nullptr) return;
  // The response is cut where it stands; the close tells the client it is incomplete.
  s->reported = false;
  close_after(*s);
  advance();
}

}  // namespace rodeo::http1
