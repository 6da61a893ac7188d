#include "rodeo/internal/protocol/http2/engine.hpp"

#include <algorithm>
#include <limits>

#include "rodeo/internal/protocol/http2/session.hpp"

namespace rodeo::http2 {

namespace {

// The GOAWAY error code for a fatal nghttp2_session_mem_recv result; `callback_code` is the
// one a callback chose when it failed the session.
std::uint32_t goaway_code(long rv, std::uint32_t callback_code) {
  switch (rv) {
    case NGHTTP2_ERR_CALLBACK_FAILURE:
      return callback_code != 0 ? callback_code : std::uint32_t{NGHTTP2_INTERNAL_ERROR};
    case NGHTTP2_ERR_BAD_CLIENT_MAGIC:  // RFC 9113 §3.4: invalid preface
      return NGHTTP2_PROTOCOL_ERROR;
    case NGHTTP2_ERR_FLOODED:                 // the peer does not read our control frames
    case NGHTTP2_ERR_TOO_MANY_CONTINUATIONS:  // RFC 9113 §10.5
      return NGHTTP2_ENHANCE_YOUR_CALM;
    default:
      return NGHTTP2_INTERNAL_ERROR;
  }
}

// The MAX_CONCURRENT_STREAMS nghttp2 is told: room above the advertised one for the streams
// the engine refuses, which nghttp2 counts until their RST_STREAM is written (at the end of
// each feed). Not more: nghttp2 also keeps up to this many closed streams for the priority
// tree. A client that opens more than that in one burst meets nghttp2's own check, a
// connection error.
std::uint32_t nghttp2_stream_limit(std::uint32_t advertised) {
  return static_cast<std::uint32_t>(
      std::min<std::uint64_t>(std::uint64_t{advertised} + std::max<std::uint32_t>(advertised, 16),
                              std::numeric_limits<std::uint32_t>::max()));
}

}  // namespace

void engine::session_deleter::operator()(nghttp2_session* s) const noexcept {
  nghttp2_session_del(s);
}

engine::engine(protocol_events& events, protocol_limits limits, bool tls, options opts)
    : events_(events),
      limits_(limits),
      tls_(tls),
      send_date_(opts.send_date),
      server_(std::move(opts.server)),
      alt_svc_(std::move(opts.alt_svc)),
      oversized_(opts.oversized_burst, opts.oversized_rate),
      refused_(opts.reset_burst, opts.reset_rate),
      session_(detail::session_access::make(*this, opts)) {
  auto window = static_cast<std::uint32_t>(
      std::min<std::uint64_t>(limits_.initial_window_size, NGHTTP2_MAX_WINDOW_SIZE));
  auto header_list = static_cast<std::uint32_t>(
      std::min<std::uint64_t>(limits_.max_header_block, std::numeric_limits<std::uint32_t>::max()));
  // RFC 9113 §3.4: the server preface is a SETTINGS frame. ENABLE_PUSH is the client's
  // setting (§6.5.2): a server does not send it.
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS,
       nghttp2_stream_limit(limits_.max_concurrent_streams)},  // see pump()
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, window},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, header_list},
      // RFC 8441 §3: extended CONNECT, for WebSockets over HTTP/2.
      {NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL, 1},
  };
  nghttp2_submit_settings(session_.get(), NGHTTP2_FLAG_NONE, settings, std::size(settings));
  // INITIAL_WINDOW_SIZE covers streams only (§6.9.2); open the connection window as wide so
  // that it does not throttle a single upload.
  if (window > NGHTTP2_INITIAL_WINDOW_SIZE)
    nghttp2_session_set_local_window_size(session_.get(), NGHTTP2_FLAG_NONE, 0,
                                          static_cast<std::int32_t>(window));
}

std::unique_ptr<engine> engine::upgrade(protocol_events& events, protocol_limits limits,
                                        std::string_view settings_payload, const request_head& head,
                                        options opts) {
  auto e = std::make_unique<engine>(events, limits, /*tls=*/false, opts);
  const bool head_request = head.method == "HEAD";
  // RFC 7540 §3.2: HTTP2-Settings acts as the client's first SETTINGS; the upgrading request
  // is stream 1, half-closed (remote).
  if (nghttp2_session_upgrade2(e->session_.get(),
                               reinterpret_cast<const std::uint8_t*>(settings_payload.data()),
                               settings_payload.size(), head_request ? 1 : 0, nullptr) != 0)
    return nullptr;
  e->stream_ids_.upgraded();
  auto& s = e->streams_[1];
  s.head_request = head_request;
  s.reported = true;
  return e;
}

engine::~engine() = default;

bool engine::feed(std::string_view bytes) {
  if (fatal_) return false;
  auto rv = nghttp2_session_mem_recv(
      session_.get(), reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  if (rv < 0) {
    // Fatal (bad preface, flood, CONTINUATION flood): say why with a GOAWAY (RFC 9113
    // §5.4.1), then the connection closes.
    fatal_ = true;
    nghttp2_session_terminate_session(session_.get(), goaway_code(rv, fail_code_));
  }
  // Produce the output now: a connection error nghttp2 raises inside mem_recv without
  // failing it (Rapid Reset, a bad frame) only shows as the GOAWAY it sends.
  pump(out_);
  return !fatal_;
}

void engine::take_output(std::string& out) {
  gathered_output all;
  take_output(all);
  all.copy_to(out);
}

void engine::take_output(gathered_output& out) {
  out.splice(out_);
  pump(out);
  // Work-conserving push: the session has nothing more to send and nothing waits for the
  // transport, so the responses held for parents with nothing ready use the idle link
  // (server think time). A parent's frames, once ready, still go ahead of the rest of them:
  // HEADERS before queued DATA, DATA by the pushed stream's dependency (RFC 7540 §5.3).
  if (out.empty() && release_idle_pushes()) pump(out);
}

void engine::pump(gathered_output& out) {
  sink_ = &out;
  pump_frames(out);
  sink_ = nullptr;
}

void engine::pump_frames(gathered_output& out) {
  for (;;) {
    // While pushes run ahead of a parent that has nothing to send, the output is handed over
    // in bursts, so that the parent's response, once ready, waits for one burst at most.
    if (early_parents_ > 0 && out.size() >= push_burst) return;
    const std::uint8_t* data = nullptr;
    auto n = nghttp2_session_mem_send(session_.get(), &data);
    if (n < 0) {
      fatal_ = true;
      return;
    }
    if (n == 0) return;
    wrote_since_trim_ = true;
    auto& text = out.text();
    auto from = text.size();
    text.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    if (!settings_written_) advertise_stream_limit(text, from);
  }
}

void engine::advertise_stream_limit(std::string& out, std::size_t from) {
  // The session's first frame is the SETTINGS the constructor queued (RFC 9113 §3.4), whole
  // in one mem_send chunk: a 9-byte frame header, then 6-byte entries (§6.5.1).
  settings_written_ = true;
  std::string_view f{out};
  f.remove_prefix(from);
  if (f.size() < 9 || f[3] != NGHTTP2_SETTINGS || (f[4] & NGHTTP2_FLAG_ACK) != 0) return;
  std::size_t len = (std::size_t{static_cast<std::uint8_t>(f[0])} << 16) |
                    (std::size_t{static_cast<std::uint8_t>(f[1])} << 8) |
                    static_cast<std::uint8_t>(f[2]);
  for (std::size_t at = 9; at + 6 <= 9 + len && at + 6 <= f.size(); at += 6) {
    auto id = (static_cast<std::uint8_t>(f[at]) << 8) | static_cast<std::uint8_t>(f[at + 1]);
    if (id != NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS) continue;
    auto v = limits_.max_concurrent_streams;
    for (std::size_t i = 0; i < 4; ++i)
      out[from + at + 2 + i] = static_cast<char>((v >> (8 * (3 - i))) & 0xff);
  }
}

bool engine::should_close() const {
  if (fatal_) return true;
  return nghttp2_session_want_read(session_.get()) == 0 &&
         nghttp2_session_want_write(session_.get()) == 0;
}

std::size_t engine::open_streams() const {
  return static_cast<std::size_t>(std::count_if(streams_.begin(), streams_.end(), [](auto& kv) {
    const auto& s = kv.second;
    return s.reported && !s.detached && !s.response_complete;
  }));
}

void engine::shutdown() {
  if (shutdown_ || fatal_) return;
  shutdown_ = true;
  // RFC 9113 §6.8. The contract promises no new request after shutdown(), so this is the
  // final GOAWAY at once (no shutdown notice and round trip): streams above the last
  // processed one were not processed, and the client may retry them elsewhere.
  nghttp2_submit_goaway(session_.get(), NGHTTP2_FLAG_NONE,
                        nghttp2_session_get_last_proc_stream_id(session_.get()), NGHTTP2_NO_ERROR,
                        nullptr, 0);
  report_push_capability();
}

void engine::trim() {
  if (!out_.empty() || nghttp2_session_want_write(session_.get()) != 0) return;
  // nghttp2 resets its frame buffer after each frame: with nothing queued, nothing in it is
  // read again before being written.
  if (wrote_since_trim_) memory_.release_idle();
  wrote_since_trim_ = false;
  out_.release();
}

bool engine::going_away() const { return shutdown_ || goaway_sent_ || goaway_received_ || fatal_; }

detail::stream* engine::find(stream_id id) {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : &it->second;
}

const detail::stream* engine::find(stream_id id) const {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : &it->second;
}

detail::stream* engine::commandable(stream_id id) {
  auto* s = find(id);
  return s && s->reported && !s->detached ? s : nullptr;
}

}  // namespace rodeo::http2
