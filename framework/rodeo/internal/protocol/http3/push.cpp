// Server push over HTTP/3 (RFC 9114 §4.6) with Rodeo's push layer beside nghttp3 0.8, which
// has none: the client's control stream read first (MAX_PUSH_ID, CANCEL_PUSH), PUSH_PROMISE
// among nghttp3's bytes on the parent stream, and push streams written from the pushed
// request actors' commands.

#include <algorithm>
#include <limits>

#include "rodeo/internal/protocol/field_block.hpp"
#include "rodeo/internal/protocol/http3/engine.hpp"
#include "rodeo/internal/protocol/http3/push/field_encoder.hpp"
#include "rodeo/internal/protocol/http3/push/frame_writer.hpp"
#include "rodeo/internal/protocol/http3/pushed_stream.hpp"
#include "rodeo/internal/protocol/http3/stream.hpp"

namespace rodeo::http3 {

namespace {

bool bodyless_status(int status) { return status == 204 || status == 304; }

// A handler's fields as a push field section takes them: lowercased, without pseudo-header
// and connection-specific fields (RFC 9114 §4.2) or `skip`.
void add_fields(std::vector<push::field>& out, const headers& fields, std::string_view skip = {}) {
  for (const auto& [name, value] : fields) {
    auto n = http::detail::to_lower(name);
    if (n.empty() || n.front() == ':' || rodeo::detail::is_connection_specific(n) ||
        (!skip.empty() && n == skip))
      continue;
    out.push_back({std::move(n), value});
  }
}

}  // namespace

// --- the client's control stream ---

bool engine::filter_uni(std::int64_t id, std::string_view& data) {
  auto& filter = uni_filters_[id];
  filtered_.clear();
  auto r =
      filter.feed({reinterpret_cast<const std::uint8_t*>(data.data()), data.size()}, filtered_);
  // nghttp3 never sees what the filter took out: its credit goes back now.
  if (r.removed > 0) quic_.consumed(id, r.removed);
  for (const auto& e : r.events) {
    switch (e.what) {
      case push::control_event::kind::max_push_id: {
        // RFC 9114 §7.2.7: a lower MAX_PUSH_ID is H3_ID_ERROR (the filter reports it too).
        if (!push_ids_.allow_up_to(e.push_id)) {
          fatal_ = true;
          error_code_ = h3_id_error;
          return false;
        }
        report_push_capability();
        break;
      }
      case push::control_event::kind::cancel_push:
        on_cancel_push(e.push_id);
        break;
      case push::control_event::kind::priority_push:
        break;  // pushes are scheduled as their parents' order rule says
    }
  }
  if (r.error) {
    fatal_ = true;
    error_code_ = static_cast<std::uint64_t>(*r.error);
    return false;
  }
  data = {reinterpret_cast<const char*>(filtered_.data()), filtered_.size()};
  return true;
}

// RFC 9114 §7.2.3: the client does not want push `push_id`. Its stream is reset with
// H3_REQUEST_CANCELLED and its request actor stops, as for RST_STREAM on HTTP/2.
void engine::on_cancel_push(std::uint64_t push_id) {
  if (push_id >= push_ids_.used()) return;  // not promised yet: nothing runs for it
  if (auto* p = find_pushed(pushed_id(push_id))) pushed_gone(*p, h3_request_cancelled);
}

// --- capability ---

std::size_t engine::open_pushes() const {
  return static_cast<std::size_t>(
      std::count_if(pushes_.begin(), pushes_.end(), [](auto& kv) { return !kv.second->detached; }));
}

push_capability engine::can_push() const {
  if (shutdown_ || fatal_) return {push_skip::connection_closing, 0};
  auto max = push_ids_.max_push_id();
  // RFC 9114 §4.6: no push ID may be used before the client's MAX_PUSH_ID.
  if (!max) return {push_skip::no_push_id, 0};
  if (push_ids_.used() > *max) return {push_skip::push_ids_exhausted, 0};
  // Pushes open at once: those open, plus as many more as push IDs and the client's
  // unidirectional stream limit allow.
  std::uint64_t room = std::min(*max - push_ids_.used() + 1, quic_.uni_streams_left());
  std::uint64_t total = open_pushes() + room;
  return {push_skip::none, static_cast<std::uint32_t>(std::min<std::uint64_t>(
                               total, std::numeric_limits<std::uint32_t>::max()))};
}

void engine::report_push_capability() { events_.on_push_capability(can_push()); }

void engine::uni_streams_extended() { report_push_capability(); }

// --- promise ---

stream_id engine::push_promise(stream_id parent, const request_head& promised) {
  push_refusal_.clear();
  auto refuse = [&](std::string_view why) {
    push_refusal_ = why;
    return stream_id{0};
  };
  if (shutdown_ || fatal_) return refuse("the connection is closing");
  // RFC 9114 §4.6: a push answers a client request; none from a pushed stream.
  if (parent % 2 == 0) return refuse("a pushed stream cannot push");
  auto* s = commandable(parent);
  if (!s) return refuse("the parent stream is gone");
  auto max = push_ids_.max_push_id();
  if (!max) return refuse("the client sent no MAX_PUSH_ID");
  if (push_ids_.used() > *max) return refuse("every push ID up to MAX_PUSH_ID is used");
  if (push_ids_.used() >= static_cast<std::uint64_t>(std::numeric_limits<stream_id>::max() / 2 - 1))
    return refuse("push IDs beyond this connection's stream ids");
  if (!before_final(s->response) || s->submitted)
    return refuse("the parent's response has started");
  if (!s->map && s->h3_sent > 0) return refuse("the parent stream has bytes out already");
  if (s->map && !s->map->can_inject()) return refuse("the parent stream is inside a frame");
  auto quic = quic_.open_uni();
  if (!quic) return refuse("the client allows no more unidirectional streams");
  auto push_id = push_ids_.next().id;

  std::string path = promised.path;
  if (!promised.qs.empty()) path += "?" + promised.qs;
  std::vector<push::field> fields{{":method", promised.method},
                                  {":scheme", promised.scheme},
                                  {":authority", promised.authority},
                                  {":path", path}};
  add_fields(fields, promised.fields);
  if (!encoder_) encoder_ = std::make_unique<push::field_encoder>();
  // Checked above: the map takes the frame (the promise precedes nghttp3's next byte).
  prepend(parent, push::push_promise_frame(push_id, encoder_->encode(fields)));

  auto id = pushed_id(push_id);
  auto p = std::make_unique<detail::pushed>(push_id, *quic, parent);
  p->head_request = promised.method == "HEAD";
  push_streams_[*quic] = id;
  pushes_[id] = std::move(p);
  report_push_capability();
  return id;
}

// --- the pushed stream's response ---

detail::pushed* engine::find_pushed(stream_id id) {
  auto it = pushes_.find(id);
  return it == pushes_.end() ? nullptr : it->second.get();
}

const detail::pushed* engine::find_pushed(stream_id id) const {
  auto it = pushes_.find(id);
  return it == pushes_.end() ? nullptr : it->second.get();
}

detail::pushed* engine::pushed_by_quic(std::int64_t quic) {
  auto it = push_streams_.find(quic);
  return it == push_streams_.end() ? nullptr : find_pushed(it->second);
}

detail::pushed* engine::commandable_pushed(stream_id id) {
  auto* p = find_pushed(id);
  return p && !p->detached && !p->write_reset && !p->cancel_due ? p : nullptr;
}

void engine::pushed_acked(detail::pushed& p, std::uint64_t offset, std::size_t n) {
  p.writer.output().acked(offset, n);
  if (p.cancel_due && p.writer.output().acked_offset() >= p.header_length)
    pushed_reset(p, *p.cancel_due);
}

std::string engine::pushed_headers(detail::pushed&, int status, const headers& fields,
                                   std::optional<std::uint64_t> content_length) {
  std::vector<push::field> f{{":status", std::to_string(status)}};
  if (content_length) {
    add_fields(f, fields, "content-length");
    f.push_back({"content-length", std::to_string(*content_length)});
  } else {
    add_fields(f, fields);
  }
  if (opts_.send_date && !has_header(fields, "date"))
    f.push_back({"date", std::string{date_cache_.now()}});
  if (!opts_.server.empty() && !has_header(fields, "server")) f.push_back({"server", opts_.server});
  return encoder_->encode(f);
}

void engine::pushed_reply(detail::pushed& p, int status, const headers& fields, body_bytes body) {
  if (!p.take(response_event::reply)) return;
  if (status >= 400) {
    // An error nobody asked for is not worth the link (as on HTTP/2): the push is cancelled
    // (RFC 9114 §4.6), its response dropped.
    return pushed_reset(p, h3_request_cancelled);
  }
  std::optional<std::uint64_t> length;
  if (!bodyless_status(status)) {
    length = body.size();
    if (p.head_request && body.empty() && has_header(fields, "content-length")) length.reset();
  }
  p.no_body = p.head_request || bodyless_status(status);
  p.writer.headers(pushed_headers(p, status, fields, length));
  // The push stream writer keeps its own bytes until acknowledged (a shared body is copied).
  if (!p.no_body) p.writer.data(std::move(body).take());
  p.writer.end();
}

void engine::pushed_stream_reply(detail::pushed& p, int status, const headers& fields) {
  if (!p.take(response_event::stream_reply)) return;
  if (status >= 400) return pushed_reset(p, h3_request_cancelled);
  p.no_body = p.head_request || bodyless_status(status);
  p.writer.headers(pushed_headers(p, status, fields, std::nullopt));
  if (p.no_body) {
    p.take(response_event::body_fin);
    p.writer.end();
  }
}

void engine::pushed_body(detail::pushed& p, body_bytes data, bool fin) {
  if (!p.take(fin ? response_event::body_fin : response_event::body)) return;
  if (p.writer.ended()) return;  // HEAD, 204, 304: ended at the head
  if (!p.no_body) p.writer.data(std::move(data).take());
  if (fin) p.writer.end();
}

void engine::pushed_trailers(detail::pushed& p, const headers& fields) {
  if (!p.take(response_event::trailers)) return;
  if (p.writer.ended()) return;
  std::vector<push::field> f;
  add_fields(f, fields);
  if (f.empty()) return p.writer.end();
  p.writer.trailers(encoder_->encode(f));  // RFC 9114 §4.1: a HEADERS frame after the DATA
}

// Our own RESET_STREAM (an error response, a crash, a cancel): reported once QUIC closes the
// stream (pushed_closed), as for a request stream. It waits until the client acknowledged the
// stream's header (type and push ID): a stream reset before the client saw that would leave
// its promise unanswered.
void engine::pushed_reset(detail::pushed& p, std::uint64_t code) {
  p.response = response_state::reset;
  if (p.writer.output().acked_offset() < p.header_length) {
    p.cancel_due = code;
    return;
  }
  p.cancel_due.reset();
  p.write_reset = true;
  quic_.reset_writing(p.quic, code);
}

// The client refused the push (CANCEL_PUSH, STOP_SENDING): the stream is reset and the
// pushed request's actor told at once.
void engine::pushed_gone(detail::pushed& p, std::uint64_t code) {
  p.cancel_due.reset();
  if (!p.write_reset && !p.fin_sent) {
    p.write_reset = true;
    quic_.reset_writing(p.quic, code);
  }
  if (p.detached) return;
  p.detached = true;
  events_.on_stream_reset(pushed_id(p.writer.push_id()), static_cast<std::uint32_t>(code));
  report_push_capability();
}

void engine::pushed_closed(std::int64_t quic, std::uint64_t code) {
  auto id = push_streams_[quic];
  push_streams_.erase(quic);
  auto it = pushes_.find(id);
  if (it == pushes_.end()) return;
  auto p = std::move(it->second);
  pushes_.erase(it);
  if (!p->detached) {
    if (p->fin_sent && !p->write_reset)
      events_.on_stream_done(id);
    else
      events_.on_stream_reset(id, static_cast<std::uint32_t>(code));
  }
  report_push_capability();
}

// --- writing push streams ---

// A push stream writes once its parent's final HEADERS went out, or its parent is gone
// (RFC 9114 §4.6 wants the promise first; Rodeo wants the parent's response first), or when
// nothing else waits (`idle`: a parent that thinks does not hold its pushes back).
bool engine::push_ready(const detail::pushed& p, bool idle) const {
  if (p.write_reset || p.blocked || p.fin_sent) return false;
  if (p.cancel_due) return p.writer.output().sent_offset() < p.header_length;
  if (p.writer.output().unsent_bytes() == 0 && !p.writer.ended()) return false;
  if (idle) return true;
  auto* parent = find(p.parent);
  if (!parent || parent->headers_out || parent->write_reset) return true;
  return false;
}

detail::pushed* engine::next_push(bool idle) {
  if (pushes_.empty()) return nullptr;
  // Round robin from the one after the last written.
  auto start = pushes_.upper_bound(last_push_);
  for (auto it = start; it != pushes_.end(); ++it)
    if (push_ready(*it->second, idle)) return it->second.get();
  for (auto it = pushes_.begin(); it != start; ++it)
    if (push_ready(*it->second, idle)) return it->second.get();
  return nullptr;
}

long engine::write_push(detail::pushed& p, std::int64_t& id, bool& fin, nghttp3_vec* vec,
                        std::size_t max) {
  // A push to be reset writes its header only.
  auto spans = p.cancel_due ? p.writer.output().unsent(static_cast<std::size_t>(
                                  p.header_length - p.writer.output().sent_offset()))
                            : p.writer.output().unsent();
  std::size_t n = std::min(spans.size(), max);
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < n; ++i) {
    vec[i].base = const_cast<std::uint8_t*>(spans[i].data());
    vec[i].len = spans[i].size();
    bytes += spans[i].size();
  }
  id = p.quic;
  fin = n == spans.size() && p.writer.ended() && !p.cancel_due;
  last_push_ = pushed_id(p.writer.push_id());
  last_ = {last_write::kind::push, id, fin, bytes, {}};
  return static_cast<long>(n);
}

}  // namespace rodeo::http3
