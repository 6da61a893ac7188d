#include "rodeo/internal/protocol/http3/engine.hpp"

#include <nghttp3/nghttp3.h>

#include <algorithm>
#include <new>

#include "rodeo/internal/protocol/field_block.hpp"
#include "rodeo/internal/protocol/http3/push/field_encoder.hpp"
#include "rodeo/internal/protocol/http3/pushed_stream.hpp"
#include "rodeo/internal/protocol/http3/stream.hpp"
#include "rodeo/internal/protocol/request_head_builder.hpp"

namespace rodeo::http3 {

namespace detail {

namespace {

std::string_view view(const nghttp3_rcbuf* b) {
  auto v = nghttp3_rcbuf_get_buf(b);
  return {reinterpret_cast<const char*>(v.base), v.len};
}

// Response field lists as nghttp3 takes them (it copies names and values on submit).
using field_block = rodeo::detail::field_block<nghttp3_nv>;

bool bodyless_status(int status) { return status == 204 || status == 304; }

}  // namespace

struct callbacks {
  static engine& self(void* user) { return *static_cast<engine*>(user); }

  static int acked_stream_data(nghttp3_conn*, std::int64_t id, std::uint64_t n, void* user, void*) {
    return self(user).on_acked(id, n);
  }
  static int stream_close(nghttp3_conn*, std::int64_t id, std::uint64_t code, void* user, void*) {
    return self(user).on_stream_close(id, code);
  }
  static int recv_data(nghttp3_conn*, std::int64_t id, const std::uint8_t* data, std::size_t n,
                       void* user, void*) {
    return self(user).on_data(id, {reinterpret_cast<const char*>(data), n});
  }
  static int deferred_consume(nghttp3_conn*, std::int64_t id, std::size_t n, void* user, void*) {
    // Bytes nghttp3 held (a header block blocked on the QPACK encoder stream) and has now
    // processed: their credit goes back as the rest's does.
    self(user).quic_.consumed(id, n);
    return 0;
  }
  static int begin_headers(nghttp3_conn*, std::int64_t id, void* user, void*) {
    return self(user).on_begin_headers(id);
  }
  static int begin_trailers(nghttp3_conn*, std::int64_t id, void* user, void*) {
    auto* s = self(user).find(engine::rodeo_id(id));
    if (s) s->in_trailers = true;
    return 0;
  }
  static int recv_header(nghttp3_conn*, std::int64_t id, std::int32_t, nghttp3_rcbuf* name,
                         nghttp3_rcbuf* value, std::uint8_t, void* user, void*) {
    return self(user).on_field(id, view(name), view(value), false);
  }
  static int recv_trailer(nghttp3_conn*, std::int64_t id, std::int32_t, nghttp3_rcbuf* name,
                          nghttp3_rcbuf* value, std::uint8_t, void* user, void*) {
    return self(user).on_field(id, view(name), view(value), true);
  }
  static int end_headers(nghttp3_conn*, std::int64_t id, int fin, void* user, void*) {
    return self(user).on_end_headers(id, fin != 0);
  }
  static int end_trailers(nghttp3_conn*, std::int64_t, int, void*, void*) { return 0; }
  static int stop_sending(nghttp3_conn*, std::int64_t id, std::uint64_t code, void* user, void*) {
    // nghttp3 wants no more of this stream (a malformed request: H3_MESSAGE_ERROR, or a
    // rejected one after GOAWAY).
    self(user).quic_.stop_reading(id, code);
    return 0;
  }
  static int reset_stream(nghttp3_conn*, std::int64_t id, std::uint64_t code, void* user, void*) {
    auto& e = self(user);
    if (auto* s = e.find(engine::rodeo_id(id))) s->write_reset = true;
    e.quic_.reset_writing(id, code);
    return 0;
  }
  static int end_stream(nghttp3_conn*, std::int64_t id, void* user, void*) {
    return self(user).on_end_stream(id);
  }
  static nghttp3_ssize read_data(nghttp3_conn*, std::int64_t id, nghttp3_vec* vec, std::size_t max,
                                 std::uint32_t* flags, void* user, void*) {
    return self(user).read_body(id, vec, max, flags);
  }
};

}  // namespace detail

using detail::callbacks;

void engine::conn_deleter::operator()(nghttp3_conn* c) const noexcept { nghttp3_conn_del(c); }

engine::engine(protocol_events& events, quic_streams& quic, protocol_limits limits, options opts)
    : events_(events), quic_(quic), limits_(limits), opts_(std::move(opts)) {
  nghttp3_callbacks cbs{};
  cbs.acked_stream_data = callbacks::acked_stream_data;
  cbs.stream_close = callbacks::stream_close;
  cbs.recv_data = callbacks::recv_data;
  cbs.deferred_consume = callbacks::deferred_consume;
  cbs.begin_headers = callbacks::begin_headers;
  cbs.recv_header = callbacks::recv_header;
  cbs.end_headers = callbacks::end_headers;
  cbs.begin_trailers = callbacks::begin_trailers;
  cbs.recv_trailer = callbacks::recv_trailer;
  cbs.end_trailers = callbacks::end_trailers;
  cbs.stop_sending = callbacks::stop_sending;
  cbs.end_stream = callbacks::end_stream;
  cbs.reset_stream = callbacks::reset_stream;
  nghttp3_settings settings;
  nghttp3_settings_default(&settings);
  // RFC 9114 §7.2.4.1: SETTINGS_MAX_FIELD_SECTION_SIZE, counted as the engine counts.
  settings.max_field_section_size = limits_.max_header_block;
  settings.qpack_max_dtable_capacity = opts_.qpack_table;
  settings.qpack_blocked_streams = opts_.qpack_blocked_streams;
  nghttp3_conn* raw = nullptr;
  if (nghttp3_conn_server_new(&raw, &cbs, &settings, nghttp3_mem_default(), this) != 0)
    throw std::bad_alloc{};
  conn_.reset(raw);
  nghttp3_conn_set_max_client_streams_bidi(raw, limits_.max_concurrent_streams);
}

engine::~engine() = default;

bool engine::start() {
  auto control = quic_.open_uni();
  auto qenc = quic_.open_uni();
  auto qdec = quic_.open_uni();
  if (!control || !qenc || !qdec) {
    error_code_ = 0x103;  // H3_STREAM_CREATION_ERROR (RFC 9114 §6.2: the peer allows too few)
    fatal_ = true;
    return false;
  }
  // (c) Push streams are further unidirectional streams: quic_streams::open_uni.
  return nghttp3_conn_bind_control_stream(conn_.get(), *control) == 0 &&
         nghttp3_conn_bind_qpack_streams(conn_.get(), *qenc, *qdec) == 0;
}

bool engine::read_stream(std::int64_t id, std::string_view data, bool fin) {
  if (fatal_) return false;
  // The client's unidirectional streams go through the push layer's filter first (push.cpp).
  if ((id & 0x3) == 0x2 && !filter_uni(id, data)) return false;
  auto n =
      nghttp3_conn_read_stream(conn_.get(), id, reinterpret_cast<const std::uint8_t*>(data.data()),
                               data.size(), fin ? 1 : 0);
  if (n < 0) {
    // RFC 9114 §8: errors nghttp3 reports are connection errors.
    fatal_ = true;
    error_code_ = nghttp3_err_infer_quic_app_error_code(static_cast<int>(n));
    return false;
  }
  // What nghttp3 consumed (frames, headers) returns its credit now; DATA payload returns
  // it once handed to the stream table (on_data).
  if (n > 0) quic_.consumed(id, static_cast<std::size_t>(n));
  return true;
}

long engine::write_next(std::int64_t& id, bool& fin, nghttp3_vec* vec, std::size_t max) {
  last_.what = last_write::kind::none;
  // A connection error found outside a read (a critical stream closed, RFC 9114 §6.2.1) is
  // reported here: the connection closes with error_code().
  if (fatal_) return -1;
  if (max == 0) return 0;
  // PUSH_PROMISE frames go before nghttp3's next byte on their stream (offset_map).
  for (auto it = inject_due_.begin(); it != inject_due_.end();) {
    auto sit = streams_.find(*it);
    auto* s = sit == streams_.end() ? nullptr : sit->second.get();
    if (!s || s->write_reset || !s->map || s->map->injected_unsent().empty()) {
      it = inject_due_.erase(it);  // a reset stream takes no more bytes
      continue;
    }
    if (s->blocked) {
      ++it;
      continue;
    }
    auto bytes = s->map->injected_unsent();
    id = *it;
    fin = false;
    vec[0].base = const_cast<std::uint8_t*>(bytes.data());
    vec[0].len = bytes.size();
    last_ = {last_write::kind::injected, id, false, bytes.size(), {}};
    return 1;
  }
  // Push streams and nghttp3's take turns, so that neither starves the other; a push stream
  // whose parent's response has not gone out waits, unless nothing else is to be written.
  auto* ready = next_push(false);
  if (ready && push_turn_) {
    push_turn_ = false;
    return write_push(*ready, id, fin, vec, max);
  }
  int f = 0;
  std::int64_t sid = -1;
  auto n = nghttp3_conn_writev_stream(conn_.get(), &sid, &f, vec, max);
  if (n < 0) {
    fatal_ = true;
    error_code_ = nghttp3_err_infer_quic_app_error_code(static_cast<int>(n));
    return -1;
  }
  if (sid >= 0) {
    push_turn_ = true;
    id = sid;
    fin = f != 0;
    last_.what = last_write::kind::h3;
    last_.id = sid;
    last_.fin = fin;
    last_.vec.clear();
    if (auto it = streams_.find(sid); it != streams_.end() && it->second->map)
      last_.vec.assign(vec, vec + n);  // the map follows nghttp3's frames: wrote()
    return static_cast<long>(n);
  }
  if (!ready) ready = next_push(true);
  if (ready) return write_push(*ready, id, fin, vec, max);
  id = -1;
  fin = false;
  return 0;
}

void engine::wrote(std::int64_t id, std::size_t n) {
  switch (last_.what) {
    case last_write::kind::injected:
      if (auto it = streams_.find(id); it != streams_.end() && it->second->map)
        it->second->map->injected_sent(n);
      return;
    case last_write::kind::push:
      if (auto* p = pushed_by_quic(id)) {
        p->writer.output().sent(n);
        if (last_.fin && n == last_.bytes) p->fin_sent = true;
      }
      return;
    case last_write::kind::h3:
      if (auto it = streams_.find(id); it != streams_.end()) {
        auto& s = *it->second;
        s.h3_sent += n;
        if (s.submitted && n > 0) s.headers_out = true;  // the final HEADERS come first
        if (s.map) {
          std::size_t left = n;
          for (const auto& v : last_.vec) {
            if (left == 0) break;
            auto k = std::min(left, v.len);
            s.map->h3_sent({v.base, k});
            left -= k;
          }
          std::size_t total = 0;
          for (const auto& v : last_.vec) total += v.len;
          if (last_.fin && n == total) s.map->h3_fin();
        }
      }
      nghttp3_conn_add_write_offset(conn_.get(), id, n);
      return;
    case last_write::kind::none:
      return;
  }
}

void engine::acked(std::int64_t id, std::uint64_t offset, std::size_t n) {
  if ((id & 0x3) == 0x3) {
    // Our push streams; the others (control, QPACK) are nghttp3's.
    if (auto* p = pushed_by_quic(id)) return pushed_acked(*p, offset, n);
  } else if (auto it = streams_.find(id); it != streams_.end() && it->second->map) {
    n = static_cast<std::size_t>(it->second->map->acked(offset, n));  // nghttp3's share
  }
  if (n > 0) nghttp3_conn_add_ack_offset(conn_.get(), id, n);
}

void engine::block(std::int64_t id) {
  if (auto* p = pushed_by_quic(id)) {
    p->blocked = true;
    return;
  }
  if (auto it = streams_.find(id); it != streams_.end()) it->second->blocked = true;
  nghttp3_conn_block_stream(conn_.get(), id);
}

void engine::unblock(std::int64_t id) {
  if (auto* p = pushed_by_quic(id)) {
    p->blocked = false;
    return;
  }
  if (auto it = streams_.find(id); it != streams_.end()) it->second->blocked = false;
  nghttp3_conn_unblock_stream(conn_.get(), id);
}

void engine::write_shut(std::int64_t id) {
  if (auto* p = pushed_by_quic(id)) return pushed_gone(*p, h3_request_cancelled);
  if (auto* s = find(rodeo_id(id)); s && (id & 0x3) == 0) s->write_reset = true;
  nghttp3_conn_shutdown_stream_write(conn_.get(), id);
}

void engine::peer_reset(std::int64_t id) {
  // STOP_SENDING on a push stream: the client wants no more of it (RFC 9114 §4.6).
  if (auto* p = pushed_by_quic(id)) return pushed_gone(*p, h3_request_cancelled);
  if ((id & 0x3) == 0)
    if (auto* s = find(rodeo_id(id))) s->write_reset = true;
  nghttp3_conn_shutdown_stream_read(conn_.get(), id);
}

void engine::stream_closed(std::int64_t id, std::uint64_t code) {
  if (push_streams_.count(id)) return pushed_closed(id, code);
  auto rv = nghttp3_conn_close_stream(conn_.get(), id, code);
  // A critical stream closing is a connection error (RFC 9114 §6.2.1).
  if (rv != 0 && rv != NGHTTP3_ERR_STREAM_NOT_FOUND) {
    fatal_ = true;
    error_code_ = nghttp3_err_infer_quic_app_error_code(rv);
  }
  // nghttp3 knows only streams it saw a byte of: forget ours too.
  if ((id & 0x3) == 0) on_stream_close(id, code);
}

// --- inbound ---

int engine::on_begin_headers(std::int64_t id) {
  if ((id & 0x3) != 0) return 0;
  auto [it, fresh] = streams_.try_emplace(id);
  if (fresh) it->second = std::make_unique<detail::stream>();
  return 0;
}

int engine::on_field(std::int64_t id, std::string_view name, std::string_view value, bool trailer) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return 0;
  auto& s = *it->second;
  if (s.malformed || s.rejected) return 0;
  // nghttp3 already reset the stream for what RFC 9114 §4.2 and §4.3 call malformed
  // (uppercase names, connection-specific fields, misplaced pseudo-header fields): it never
  // calls here with them. It advertises SETTINGS_MAX_FIELD_SECTION_SIZE but does not enforce
  // it: a block above it is malformed here (§4.2.2, as the RFC 9113 §6.5.2 count).
  auto& bytes = trailer ? s.trailer_bytes : s.header_bytes;
  bytes += name.size() + value.size() + 32;
  if (bytes > limits_.max_header_block) {
    malformed(id, s);
    return 0;
  }
  if (!trailer) s.add(name, value);
  return 0;
}

void engine::malformed(std::int64_t id, detail::stream& s) {
  s.malformed = true;
  s.head = {};
  if (s.reported && !s.detached) {
    s.detached = true;
    events_.on_stream_reset(rodeo_id(id), h3_message_error);
  }
  // A stream error of type H3_MESSAGE_ERROR (RFC 9114 §4.1.2): both directions.
  quic_.stop_reading(id, h3_message_error);
  s.write_reset = true;
  quic_.reset_writing(id, h3_message_error);
}

int engine::on_end_headers(std::int64_t id, bool fin) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return 0;
  auto& s = *it->second;
  if (s.malformed || s.rejected) return 0;
  if (s.in_trailers) return 0;  // trailers end the body: on_end_stream
  if (shutdown_) {
    // After GOAWAY: not processed, the client may retry it (RFC 9114 §5.2, §8.1).
    s.rejected = true;
    quic_.stop_reading(id, h3_request_rejected);
    s.write_reset = true;
    quic_.reset_writing(id, h3_request_rejected);
    return 0;
  }
  if (s.head.method.empty() || (s.head.method != "CONNECT" && s.head.path.empty())) {
    malformed(id, s);  // RFC 9114 §4.3.1: :method, :scheme and :path are required
    return 0;
  }
  if (s.head.content_length && *s.head.content_length > limits_.max_body) {
    reject(id, s, 413);
    return 0;
  }
  s.finish("HTTP/3", "https", fin);
  s.request_ended = fin;
  s.reported = true;
  // On a connection that may push, the stream follows nghttp3's frames from its first byte,
  // so that a promise can go in at any frame boundary before the final response (after a
  // 103, say).
  if (push_ids_.max_push_id() && !s.map) s.map = std::make_unique<push::offset_map>();
  if (s.head.has_body && rodeo::detail::expects_continue(s.head)) {
    // RFC 9110 §10.1.1: 100 at once, before the request actor starts (as on HTTP/2).
    detail::field_block b;
    b.add(":status", "100");
    nghttp3_conn_submit_info(conn_.get(), id, b.data(), b.size());
  }
  request_head head = std::move(s.head);
  s.head = {};
  events_.on_request(rodeo_id(id), std::move(head));
  return 0;
}

int engine::on_data(std::int64_t id, std::string_view data) {
  // The payload's credit goes back once it is handed over (or dropped).
  quic_.consumed(id, data.size());
  auto* s = find(rodeo_id(id));
  if (!s || !s->reported || s->detached || s->malformed) return 0;
  s->body_bytes += data.size();
  if (s->body_bytes > limits_.max_body) {
    // Above max_body the actor stops; the client gets 413 if no response started.
    s->detached = true;
    events_.on_stream_reset(rodeo_id(id), h3_request_cancelled);
    if (before_final(s->response)) {
      reject(id, *s, 413);
    } else {
      s->write_reset = true;
      quic_.reset_writing(id, h3_request_cancelled);
    }
    quic_.stop_reading(id, h3_request_cancelled);
    return 0;
  }
  if (!data.empty()) events_.on_body(rodeo_id(id), data, false);
  return 0;
}

int engine::on_end_stream(std::int64_t id) {
  auto* s = find(rodeo_id(id));
  if (!s || !s->reported || s->detached || s->malformed) return 0;
  if (s->request_ended) return 0;  // the HEADERS carried the end: has_body was false
  s->request_ended = true;
  events_.on_body(rodeo_id(id), {}, true);
  return 0;
}

int engine::on_stream_close(std::int64_t id, std::uint64_t code) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return 0;
  auto s = std::move(it->second);
  streams_.erase(it);
  if (!s->reported || s->detached) return 0;
  if (s->eof_handed && !s->write_reset)
    events_.on_stream_done(rodeo_id(id));
  else
    events_.on_stream_reset(rodeo_id(id), code);
  return 0;
}

int engine::on_acked(std::int64_t id, std::uint64_t n) {
  // nghttp3's own bytes of a request stream (body chunks freed in order).
  if (auto* s = find(rodeo_id(id))) s->ack(static_cast<std::size_t>(n));
  return 0;
}

// --- outbound ---

detail::stream* engine::find(stream_id id) {
  auto it = streams_.find(quic_id(id));
  return it == streams_.end() ? nullptr : it->second.get();
}

const detail::stream* engine::find(stream_id id) const {
  auto it = streams_.find(quic_id(id));
  return it == streams_.end() ? nullptr : it->second.get();
}

detail::stream* engine::commandable(stream_id id) {
  auto* s = find(id);
  return s && s->reported && !s->detached && !s->write_reset ? s : nullptr;
}

bool engine::prepend(stream_id id, std::string bytes) {
  auto* s = find(id);
  if (!s || s->write_reset || !before_final(s->response) || s->submitted) return false;
  // A map made now knows where nghttp3's frames are only if nghttp3 wrote nothing yet.
  if (!s->map) {
    if (s->h3_sent > 0) return false;
    s->map = std::make_unique<push::offset_map>();
  }
  if (!s->map->inject(std::move(bytes))) return false;
  inject_due_.insert(quic_id(id));
  return true;
}

void engine::inform(stream_id id, int status, const headers& fields) {
  if (id % 2 == 0) return;  // a push stream carries no interim response here
  auto* s = commandable(id);
  // RFC 9114 §4.1: 1xx before the final response; no 101 in HTTP/3.
  if (!s || status < 100 || status > 199 || status == 101) return;
  if (!s->take(response_event::inform)) return;
  detail::field_block b;
  b.add_owned(":status", std::to_string(status));
  b.add_fields(fields);
  nghttp3_conn_submit_info(conn_.get(), quic_id(id), b.data(), b.size());
}

void engine::reply(stream_id id, int status, const headers& fields, body_bytes body) {
  if (status < 200) return inform(id, status, fields);
  if (id % 2 == 0) {
    if (auto* p = commandable_pushed(id)) pushed_reply(*p, status, fields, std::move(body));
    return;
  }
  auto* s = commandable(id);
  if (!s || !s->take(response_event::reply)) return;
  std::optional<std::uint64_t> length;
  if (!detail::bodyless_status(status)) {
    length = body.size();
    if (s->head_request && body.empty() && has_header(fields, "content-length")) length.reset();
  }
  s->no_body = s->head_request || detail::bodyless_status(status);
  if (!s->no_body) s->append(std::move(body));
  submit(quic_id(id), *s, status, fields, length);
}

void engine::stream_reply(stream_id id, int status, const headers& fields) {
  if (status < 200) return inform(id, status, fields);
  if (id % 2 == 0) {
    if (auto* p = commandable_pushed(id)) pushed_stream_reply(*p, status, fields);
    return;
  }
  auto* s = commandable(id);
  if (!s || !s->take(response_event::stream_reply)) return;
  s->no_body = s->head_request || detail::bodyless_status(status);
  if (s->no_body) s->take(response_event::body_fin);
  submit(quic_id(id), *s, status, fields, std::nullopt);
}

void engine::stream_body(stream_id id, body_bytes data, bool fin) {
  if (id % 2 == 0) {
    if (auto* p = commandable_pushed(id)) pushed_body(*p, std::move(data), fin);
    return;
  }
  auto* s = commandable(id);
  if (!s || !s->take(fin ? response_event::body_fin : response_event::body)) return;
  if (!s->no_body) s->append(std::move(data));
  resume(quic_id(id), *s);
}

void engine::stream_trailers(stream_id id, const headers& fields) {
  if (id % 2 == 0) {
    if (auto* p = commandable_pushed(id)) pushed_trailers(*p, fields);
    return;
  }
  auto* s = commandable(id);
  if (!s || !s->take(response_event::trailers)) return;
  if (!fields.empty()) s->trailers = fields;
  resume(quic_id(id), *s);
}

void engine::submit(std::int64_t id, detail::stream& s, int status, const headers& fields,
                    std::optional<std::uint64_t> content_length) {
  detail::field_block b;
  b.add_owned(":status", std::to_string(status));
  if (content_length) {
    b.add_fields(fields, "content-length");
    b.add_owned("content-length", std::to_string(*content_length));
  } else {
    b.add_fields(fields);
  }
  if (opts_.send_date && !has_header(fields, "date"))
    b.add_owned("date", std::string{date_cache_.now()});
  if (!opts_.server.empty() && !has_header(fields, "server")) b.add_owned("server", opts_.server);
  s.submitted = true;
  const bool ends = s.response == response_state::done;
  const bool headers_only = s.no_body || (ends && s.unsent == 0 && !s.trailers);
  if (headers_only) s.eof_handed = true;
  nghttp3_data_reader reader{callbacks::read_data};
  nghttp3_conn_submit_response(conn_.get(), id, b.data(), b.size(),
                               headers_only ? nullptr : &reader);
}

void engine::resume(std::int64_t id, detail::stream& s) {
  if (s.submitted && s.deferred) {
    s.deferred = false;
    nghttp3_conn_resume_stream(conn_.get(), id);
  }
}

long engine::read_body(std::int64_t id, nghttp3_vec* vec, std::size_t max, std::uint32_t* flags) {
  auto* s = find(rodeo_id(id));
  if (!s) return NGHTTP3_ERR_CALLBACK_FAILURE;
  std::size_t n = 0;
  while (n < max && s->handed < s->chunks.size()) {
    auto& c = s->chunks[s->handed++];
    // nghttp3 only reads through the pointer (its vec type is not const).
    vec[n].base = reinterpret_cast<std::uint8_t*>(const_cast<char*>(c.data()));
    vec[n].len = c.size();
    s->unsent -= c.size();
    ++n;
  }
  if (s->unsent > 0) return static_cast<long>(n);
  if (s->response != response_state::done) {
    if (n > 0) return static_cast<long>(n);
    s->deferred = true;  // stream_body resumes it
    return NGHTTP3_ERR_WOULDBLOCK;
  }
  *flags |= NGHTTP3_DATA_FLAG_EOF;
  s->eof_handed = true;
  if (s->trailers) {
    // RFC 9114 §4.1: trailers are a HEADERS frame after the last DATA frame.
    *flags |= NGHTTP3_DATA_FLAG_NO_END_STREAM;
    detail::field_block b;
    b.add_fields(*s->trailers);
    nghttp3_conn_submit_trailers(conn_.get(), id, b.data(), b.size());
  }
  return static_cast<long>(n);
}

void engine::reject(std::int64_t id, detail::stream& s, int status) {
  s.rejected = true;
  s.response = response_state::done;
  s.head = {};
  detail::field_block b;
  b.add_owned(":status", std::to_string(status));
  b.add("content-length", "0");
  s.submitted = true;
  s.eof_handed = true;
  nghttp3_conn_submit_response(conn_.get(), id, b.data(), b.size(), nullptr);
  // RFC 9114 §4.1.1: the rest of the request is not needed.
  if (!s.request_ended) quic_.stop_reading(id, h3_no_error);
}

void engine::reset_stream(stream_id id) {
  if (id % 2 == 0) {
    if (auto* p = commandable_pushed(id); p && p->take(response_event::reset))
      pushed_reset(*p, h3_internal_error);
    return;
  }
  auto* s = commandable(id);
  if (!s || !s->take(response_event::reset)) return;
  s->write_reset = true;
  quic_.reset_writing(quic_id(id), h3_internal_error);
  if (!s->request_ended) quic_.stop_reading(quic_id(id), h3_internal_error);
}

void engine::cancel_stream(stream_id id) {
  // Unlike reset_stream (a crashed handler), a complete response is cut too when only flow
  // control holds it: the send timeout found that the client does not take it.
  if (id % 2 == 0) {
    auto* p = commandable_pushed(id);
    if (p && (p->take(response_event::reset) || p->blocked)) pushed_reset(*p, h3_request_cancelled);
    return;
  }
  auto* s = commandable(id);
  if (!s) return;
  if (!s->take(response_event::reset) && !s->blocked) {
    // A complete response on its way (the body timeout of a request answered early): it
    // goes on; only the rest of the request is refused (RFC 9114 §4.1.1).
    if (!s->request_ended) quic_.stop_reading(quic_id(id), h3_no_error);
    return;
  }
  s->write_reset = true;
  quic_.reset_writing(quic_id(id), h3_request_cancelled);
  if (!s->request_ended) quic_.stop_reading(quic_id(id), h3_request_cancelled);
}

std::size_t engine::queued_bytes(stream_id id) const {
  if (id % 2 == 0) {
    auto* p = find_pushed(id);
    return p ? static_cast<std::size_t>(p->writer.output().unsent_bytes()) : 0;
  }
  auto* s = find(id);
  return s ? s->unsent : 0;
}

bool engine::flow_blocked(stream_id id) const {
  const bool window_closed = quic_.connection_blocked();
  if (id % 2 == 0) {
    auto* p = find_pushed(id);
    // A push being reset (or waiting to be, cancel_due) is no longer the peer's to take.
    return p && !p->fin_sent && !p->write_reset && !p->cancel_due &&
           (p->blocked || (window_closed && p->writer.output().unsent_bytes() > 0));
  }
  auto* s = find(id);
  if (!s || s->write_reset) return false;
  return s->blocked || (window_closed && s->submitted && (s->unsent > 0 || !s->chunks.empty()));
}

std::size_t engine::queued_total() const {
  std::size_t n = 0;
  for (const auto& [id, s] : streams_) n += s->unsent;
  for (const auto& [id, p] : pushes_)
    n += static_cast<std::size_t>(p->writer.output().unsent_bytes());
  return n;
}

bool engine::should_close() const { return fatal_ || (shutdown_ && open_streams() == 0); }

std::size_t engine::open_streams() const {
  auto requests = std::count_if(streams_.begin(), streams_.end(), [](auto& kv) {
    const auto& s = *kv.second;
    return s.reported && !s.detached;
  });
  return static_cast<std::size_t>(requests) + open_pushes();
}

void engine::time_out() { shutdown(); }

void engine::shutdown() {
  if (shutdown_ || fatal_) return;
  shutdown_ = true;
  // RFC 9114 §5.2: GOAWAY with the first request stream id not processed; nghttp3 then
  // rejects later streams with H3_REQUEST_REJECTED.
  nghttp3_conn_submit_shutdown_notice(conn_.get());
  nghttp3_conn_shutdown(conn_.get());
  report_push_capability();
}

}  // namespace rodeo::http3
