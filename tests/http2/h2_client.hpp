#pragma once
// Test harness for the HTTP/2 engine: an nghttp2 client session in memory, a recorder of
// the engine's protocol_events, and a pump moving bytes between them.

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/internal/protocol/http2/engine.hpp"
#include "rodeo/internal/protocol/protocol.hpp"

namespace rodeo::test {

/// Every call the engine made on its connection, in order.
struct recorder final : protocol_events {
  struct body_event {
    stream_id id;
    std::string data;
    bool fin;
    bool operator==(const body_event&) const = default;
  };
  std::vector<std::pair<stream_id, request_head>> requests;
  std::vector<body_event> bodies;
  std::vector<std::pair<stream_id, std::uint32_t>> resets;
  std::vector<stream_id> done;
  std::vector<std::string> log;  ///< "request 1", "body 1 5 fin", "reset 1 8", "done 1"

  void on_request(stream_id id, request_head head) override {
    log.push_back("request " + std::to_string(id));
    requests.emplace_back(id, std::move(head));
  }
  void on_body(stream_id id, std::string_view data, bool fin) override {
    log.push_back("body " + std::to_string(id) + " " + std::to_string(data.size()) +
                  (fin ? " fin" : ""));
    bodies.push_back({id, std::string{data}, fin});
  }
  void on_stream_reset(stream_id id, std::uint32_t code) override {
    log.push_back("reset " + std::to_string(id) + " " + std::to_string(code));
    resets.emplace_back(id, code);
  }
  void on_stream_done(stream_id id) override {
    log.push_back("done " + std::to_string(id));
    done.push_back(id);
  }
  /// Kept apart from `log`: a change of the push capability is not a stream event.
  std::vector<push_capability> push_changes;
  void on_push_capability(push_capability now) override { push_changes.push_back(now); }
};

/// A frame as the client received it.
struct frame_seen {
  std::uint8_t type = 0;
  std::int32_t stream = 0;
  std::uint8_t flags = 0;
  std::size_t length = 0;
  std::uint32_t error_code = 0;  ///< RST_STREAM, GOAWAY
  std::int32_t promised = 0;     ///< PUSH_PROMISE
  std::int32_t last_stream = 0;  ///< GOAWAY
  bool end_stream() const { return (flags & NGHTTP2_FLAG_END_STREAM) != 0; }
};

/// What the client got on one stream.
struct response {
  std::vector<headers> blocks;  ///< each HEADERS block: 1xx, final, trailers
  std::string body;
  bool closed = false;
  std::uint32_t close_code = 0;
};

/// A request body the client sends through an nghttp2 data provider.
struct upload {
  explicit upload(std::string d = {}) : data(std::move(d)) {}
  std::string data;
  std::size_t off = 0;
  bool hold = false;       ///< DEFERRED until released (then nghttp2_session_resume_data)
  bool eof_apart = false;  ///< END_STREAM on an empty DATA frame after the data
  headers trailers;        ///< sent after the data, ending the stream
};

/// An nghttp2 client session in memory.
class client {
 public:
  struct config {
    std::vector<nghttp2_settings_entry> settings;
    bool auto_window_update = true;
    /// h2c: the settings payload the client sent in HTTP2-Settings (nghttp2_session_upgrade2
    /// then queues them as the client's SETTINGS; no separate submit).
    std::string upgrade_payload;
    bool upgrade_head = false;
  };

  client() : client(config{}) {}
  explicit client(config cfg) {
    nghttp2_session_callbacks* cbs = nullptr;
    nghttp2_session_callbacks_new(&cbs);
    nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(cbs, on_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, on_frame_recv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, on_data_chunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(cbs, on_stream_close);
    nghttp2_option* opt = nullptr;
    nghttp2_option_new(&opt);
    if (!cfg.auto_window_update) nghttp2_option_set_no_auto_window_update(opt, 1);
    nghttp2_session* s = nullptr;
    nghttp2_session_client_new2(&s, cbs, this, opt);
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cbs);
    session_.reset(s);
    if (cfg.upgrade_payload.empty()) {
      nghttp2_submit_settings(s, NGHTTP2_FLAG_NONE, cfg.settings.data(), cfg.settings.size());
    } else {
      nghttp2_session_upgrade2(s, reinterpret_cast<const std::uint8_t*>(cfg.upgrade_payload.data()),
                               cfg.upgrade_payload.size(), cfg.upgrade_head ? 1 : 0, nullptr);
    }
  }

  nghttp2_session* session() { return session_.get(); }

  /// Submits a request with the given pseudo-headers and fields, in this order. Names go
  /// out exactly as given (nghttp2 lowercases the names it copies: these are not copied).
  std::int32_t request(const headers& fields, upload* body = nullptr) {
    std::vector<nghttp2_nv> nva;
    for (const auto& [n, v] : fields) {
      const auto& name = names_.emplace_back(n);
      nva.push_back({(std::uint8_t*)name.data(), (std::uint8_t*)v.data(), name.size(), v.size(),
                     NGHTTP2_NV_FLAG_NO_COPY_NAME});
    }
    nghttp2_data_provider prd{};
    prd.source.ptr = body;
    prd.read_callback = read_upload;
    return nghttp2_submit_request(session(), nullptr, nva.data(), nva.size(), body ? &prd : nullptr,
                                  nullptr);
  }

  /// GET `path` on example.com over https.
  std::int32_t get(const std::string& path, const headers& extra = {}) {
    headers h{
        {":method", "GET"}, {":scheme", "https"}, {":authority", "example.com"}, {":path", path}};
    h.insert(h.end(), extra.begin(), extra.end());
    return request(h);
  }

  /// The bytes the client wants to write.
  std::string send() {
    std::string out;
    for (;;) {
      const std::uint8_t* data = nullptr;
      auto n = nghttp2_session_mem_send(session(), &data);
      if (n <= 0) break;
      out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    }
    return out;
  }

  /// Feeds the bytes the server wrote; returns nghttp2's result.
  long recv(std::string_view bytes) {
    return nghttp2_session_mem_recv(session(), reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                    bytes.size());
  }

  /// Frames received of `type` on `stream` (any stream if -1).
  std::vector<frame_seen> frames_of(std::uint8_t type, std::int32_t stream = -1) const {
    std::vector<frame_seen> out;
    for (const auto& f : frames)
      if (f.type == type && (stream == -1 || f.stream == stream)) out.push_back(f);
    return out;
  }

  /// Index in `frames` of the first frame of `type` on `stream`, or -1.
  int first(std::uint8_t type, std::int32_t stream) const {
    for (std::size_t i = 0; i < frames.size(); ++i)
      if (frames[i].type == type && frames[i].stream == stream) return static_cast<int>(i);
    return -1;
  }

  std::vector<frame_seen> frames;
  std::map<std::int32_t, response> responses;
  std::map<std::int32_t, headers> promises;  ///< promised id -> PUSH_PROMISE header block

 private:
  struct deleter {
    void operator()(nghttp2_session* s) const { nghttp2_session_del(s); }
  };

  static client& self(void* u) { return *static_cast<client*>(u); }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* f, void* u) {
    if (f->hd.type == NGHTTP2_HEADERS) self(u).responses[f->hd.stream_id].blocks.emplace_back();
    if (f->hd.type == NGHTTP2_PUSH_PROMISE) self(u).promises[f->push_promise.promised_stream_id];
    return 0;
  }
  static int on_header(nghttp2_session*, const nghttp2_frame* f, const std::uint8_t* n,
                       std::size_t nl, const std::uint8_t* v, std::size_t vl, std::uint8_t,
                       void* u) {
    header h{std::string{(const char*)n, nl}, std::string{(const char*)v, vl}};
    if (f->hd.type == NGHTTP2_PUSH_PROMISE)
      self(u).promises[f->push_promise.promised_stream_id].push_back(std::move(h));
    else
      self(u).responses[f->hd.stream_id].blocks.back().push_back(std::move(h));
    return 0;
  }
  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* f, void* u) {
    frame_seen fs;
    fs.type = f->hd.type;
    fs.stream = f->hd.stream_id;
    fs.flags = f->hd.flags;
    fs.length = f->hd.length;
    if (f->hd.type == NGHTTP2_RST_STREAM) fs.error_code = f->rst_stream.error_code;
    if (f->hd.type == NGHTTP2_GOAWAY) {
      fs.error_code = f->goaway.error_code;
      fs.last_stream = f->goaway.last_stream_id;
    }
    if (f->hd.type == NGHTTP2_PUSH_PROMISE) fs.promised = f->push_promise.promised_stream_id;
    self(u).frames.push_back(fs);
    return 0;
  }
  static int on_data_chunk(nghttp2_session*, std::uint8_t, std::int32_t id,
                           const std::uint8_t* data, std::size_t len, void* u) {
    self(u).responses[id].body.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }
  static int on_stream_close(nghttp2_session*, std::int32_t id, std::uint32_t code, void* u) {
    auto& r = self(u).responses[id];
    r.closed = true;
    r.close_code = code;
    return 0;
  }
  static ssize_t read_upload(nghttp2_session* s, std::int32_t id, std::uint8_t* buf,
                             std::size_t len, std::uint32_t* flags, nghttp2_data_source* src,
                             void*) {
    auto& up = *static_cast<upload*>(src->ptr);
    if (up.hold) return NGHTTP2_ERR_DEFERRED;
    auto n = std::min(len, up.data.size() - up.off);
    std::memcpy(buf, up.data.data() + up.off, n);
    up.off += n;
    if (up.off == up.data.size() && (!up.eof_apart || n == 0)) {
      *flags |= NGHTTP2_DATA_FLAG_EOF;
      if (!up.trailers.empty()) {
        *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
        std::vector<nghttp2_nv> nva;
        for (const auto& [k, v] : up.trailers)
          nva.push_back({(std::uint8_t*)k.data(), (std::uint8_t*)v.data(), k.size(), v.size(),
                         NGHTTP2_NV_FLAG_NONE});
        nghttp2_submit_trailer(s, id, nva.data(), nva.size());
      }
    }
    return static_cast<ssize_t>(n);
  }

  std::unique_ptr<nghttp2_session, deleter> session_;
  std::deque<std::string> names_;  // header names must outlive their HEADERS frame
};

/// Moves bytes between client and engine until both are quiet. Returns false if a feed
/// returned false.
inline bool exchange(client& c, http2::engine& e) {
  bool ok = true;
  for (int round = 0; round < 1000; ++round) {
    auto up = c.send();
    if (!up.empty()) ok = e.feed(up) && ok;
    std::string down;
    e.take_output(down);
    if (!down.empty()) c.recv(down);
    if (up.empty() && down.empty()) break;
  }
  return ok;
}

/// One raw HTTP/2 frame (RFC 9113 §4.1).
inline std::string frame(std::uint8_t type, std::uint8_t flags, std::int32_t stream,
                         std::string_view payload) {
  std::string f;
  auto len = payload.size();
  f += static_cast<char>((len >> 16) & 0xff);
  f += static_cast<char>((len >> 8) & 0xff);
  f += static_cast<char>(len & 0xff);
  f += static_cast<char>(type);
  f += static_cast<char>(flags);
  f += static_cast<char>((stream >> 24) & 0x7f);
  f += static_cast<char>((stream >> 16) & 0xff);
  f += static_cast<char>((stream >> 8) & 0xff);
  f += static_cast<char>(stream & 0xff);
  f += payload;
  return f;
}

/// A raw frame read back from bytes.
struct raw_frame {
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  std::int32_t stream = 0;
  std::string payload;
};

/// Splits bytes into frames (RFC 9113 §4.1); a trailing partial frame is dropped.
inline std::vector<raw_frame> parse_frames(std::string_view in) {
  std::vector<raw_frame> out;
  auto u = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<std::uint8_t>(in[i]));
  };
  while (in.size() >= 9) {
    std::size_t len = (u(0) << 16) | (u(1) << 8) | u(2);
    if (in.size() < 9 + len) break;
    raw_frame f;
    f.type = static_cast<std::uint8_t>(u(3));
    f.flags = static_cast<std::uint8_t>(u(4));
    f.stream = static_cast<std::int32_t>(((u(5) & 0x7f) << 24) | (u(6) << 16) | (u(7) << 8) | u(8));
    f.payload = std::string{in.substr(9, len)};
    out.push_back(std::move(f));
    in.remove_prefix(9 + len);
  }
  return out;
}

/// The value of `name` in a header block ("" if absent).
inline std::string field(const headers& block, std::string_view name) {
  auto v = find_header(block, name);
  return v ? std::string{*v} : std::string{};
}

}  // namespace rodeo::test
