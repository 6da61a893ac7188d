#pragma once
// An in-memory HTTP/3 peer for the engine's tests: an nghttp3 client connection and a fake
// QUIC layer between it and the server engine. Stream bytes go across whole, in order, and
// are acknowledged at once; no sockets, no ngtcp2. The client takes pushes as Rodeo's own
// client does: promises and push streams are read by the push layer's client side before
// nghttp3 (which would fail on them), and `max_push_id` / `cancel_push` put frames on its
// control stream.

#include <nghttp3/nghttp3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "rodeo/internal/protocol/http3/engine.hpp"
#include "rodeo/internal/protocol/http3/push/field_decoder.hpp"
#include "rodeo/internal/protocol/http3/push/frame_writer.hpp"
#include "rodeo/internal/protocol/http3/push/push_stream_reader.hpp"
#include "rodeo/internal/protocol/http3/push/request_stream_filter.hpp"

namespace h3test {

using rodeo::headers;
using rodeo::request_head;
using rodeo::stream_id;

// What the engine reported to its connection.
struct events : rodeo::protocol_events {
  std::map<stream_id, request_head> requests;
  std::map<stream_id, std::string> bodies;
  std::set<stream_id> body_ended, done;
  std::map<stream_id, std::uint32_t> resets;
  std::optional<rodeo::push_capability> push;

  void on_request(stream_id id, request_head head) override { requests[id] = std::move(head); }
  void on_body(stream_id id, std::string_view data, bool fin) override {
    bodies[id] += data;
    if (fin) body_ended.insert(id);
  }
  void on_stream_reset(stream_id id, std::uint32_t code) override { resets[id] = code; }
  void on_stream_done(stream_id id) override { done.insert(id); }
  void on_push_capability(rodeo::push_capability now) override { push = now; }
};

// The QUIC side the engine commands, recorded.
struct fake_quic : rodeo::http3::quic_streams {
  std::map<std::int64_t, std::uint64_t> stopped, reset;
  std::map<std::int64_t, std::size_t> credit;
  std::int64_t next_uni = 3;     // server-initiated unidirectional: 3, 7, 11...
  std::uint64_t uni_left = 100;  // the client's unidirectional stream limit, beyond those

  void stop_reading(std::int64_t id, std::uint64_t code) override { stopped[id] = code; }
  void reset_writing(std::int64_t id, std::uint64_t code) override { reset[id] = code; }
  void consumed(std::int64_t id, std::size_t n) override { credit[id] += n; }
  std::optional<std::int64_t> open_uni() override {
    if (next_uni > 11) {  // beyond the control and QPACK streams: the client's limit counts
      if (uni_left == 0) return std::nullopt;
      --uni_left;
    }
    auto id = next_uni;
    next_uni += 4;
    return id;
  }
  std::uint64_t uni_streams_left() const override { return uni_left; }
  bool window_closed = false;  // the client's MAX_DATA is used up
  bool connection_blocked() const override { return window_closed; }
};

// A push as the client saw it.
struct pushed_response {
  std::vector<rodeo::http3::push::field> promise;  // the promised request
  std::int64_t parent = -1;                        // the stream that carried the promise
  bool before_headers = false;  // promised before the parent's response fields arrived
  std::vector<rodeo::http3::push::field> fields;
  std::string body;
  bool ended = false;
  std::int64_t stream = -1;  // the push stream
  std::string field(const std::string& name) const {
    for (const auto& f : fields)
      if (f.name == name) return f.value;
    return {};
  }
  std::string promised(const std::string& name) const {
    for (const auto& f : promise)
      if (f.name == name) return f.value;
    return {};
  }
};

// A response as the client decoded it.
struct response {
  std::vector<std::pair<std::string, std::string>> fields;  // every block, in order
  std::vector<std::pair<std::string, std::string>> trailers;
  std::string body;
  bool ended = false;
  std::vector<std::string> statuses() const {
    std::vector<std::string> out;
    for (const auto& [n, v] : fields)
      if (n == ":status") out.push_back(v);
    return out;
  }
  std::string field(const std::string& name) const {
    for (const auto& [n, v] : fields)
      if (n == name) return v;
    return {};
  }
};

class pair {
 public:
  explicit pair(rodeo::protocol_limits limits = {}, rodeo::http3::options opts = {})
      : server(ev, quic, limits, std::move(opts)) {
    nghttp3_callbacks cbs{};
    cbs.recv_header = [](nghttp3_conn*, std::int64_t id, std::int32_t, nghttp3_rcbuf* name,
                         nghttp3_rcbuf* value, std::uint8_t, void* user, void*) {
      auto n = nghttp3_rcbuf_get_buf(name), v = nghttp3_rcbuf_get_buf(value);
      static_cast<pair*>(user)->responses[id].fields.emplace_back(
          std::string{reinterpret_cast<const char*>(n.base), n.len},
          std::string{reinterpret_cast<const char*>(v.base), v.len});
      return 0;
    };
    cbs.recv_trailer = [](nghttp3_conn*, std::int64_t id, std::int32_t, nghttp3_rcbuf* name,
                          nghttp3_rcbuf* value, std::uint8_t, void* user, void*) {
      auto n = nghttp3_rcbuf_get_buf(name), v = nghttp3_rcbuf_get_buf(value);
      static_cast<pair*>(user)->responses[id].trailers.emplace_back(
          std::string{reinterpret_cast<const char*>(n.base), n.len},
          std::string{reinterpret_cast<const char*>(v.base), v.len});
      return 0;
    };
    cbs.recv_data = [](nghttp3_conn*, std::int64_t id, const std::uint8_t* data, std::size_t n,
                       void* user, void*) {
      static_cast<pair*>(user)->responses[id].body.append(reinterpret_cast<const char*>(data), n);
      return 0;
    };
    cbs.end_stream = [](nghttp3_conn*, std::int64_t id, void* user, void*) {
      static_cast<pair*>(user)->responses[id].ended = true;
      return 0;
    };
    cbs.shutdown = [](nghttp3_conn*, std::int64_t id, void* user) {
      static_cast<pair*>(user)->goaway = id;
      return 0;
    };
    nghttp3_settings settings;
    nghttp3_settings_default(&settings);
    nghttp3_conn_client_new(&client_, &cbs, &settings, nghttp3_mem_default(), this);
    nghttp3_conn_bind_control_stream(client_, 2);
    nghttp3_conn_bind_qpack_streams(client_, 6, 10);
    server.start();
  }
  ~pair() { nghttp3_conn_del(client_); }
  pair(const pair&) = delete;
  pair& operator=(const pair&) = delete;

  // Sends a request on the next client stream (0, 4, 8...); `body` empty: none. Returns
  // the QUIC stream id.
  std::int64_t request(const std::vector<std::pair<std::string, std::string>>& fields,
                       std::optional<std::string> body = std::nullopt) {
    auto id = next_bidi_;
    next_bidi_ += 4;
    std::vector<nghttp3_nv> nva;
    for (const auto& [n, v] : fields)
      nva.push_back({reinterpret_cast<std::uint8_t*>(const_cast<char*>(n.data())),
                     reinterpret_cast<std::uint8_t*>(const_cast<char*>(v.data())), n.size(),
                     v.size(), NGHTTP3_NV_FLAG_NONE});
    nghttp3_data_reader reader{[](nghttp3_conn*, std::int64_t sid, nghttp3_vec* vec, std::size_t,
                                  std::uint32_t* flags, void* user, void*) -> nghttp3_ssize {
      auto& b = static_cast<pair*>(user)->request_bodies[sid];
      *flags |= NGHTTP3_DATA_FLAG_EOF;
      if (b.empty()) return 0;
      vec[0].base = reinterpret_cast<std::uint8_t*>(b.data());
      vec[0].len = b.size();
      return 1;
    }};
    if (body) request_bodies[id] = *body;
    nghttp3_conn_submit_request(client_, id, nva.data(), nva.size(), body ? &reader : nullptr,
                                nullptr);
    return id;
  }

  // The client allows pushes up to `id` (MAX_PUSH_ID on its control stream, RFC 9114 §7.2.7),
  // after its SETTINGS. False when the server failed the connection.
  bool max_push_id(std::uint64_t id) {
    pump();  // SETTINGS first (§6.2.1)
    max_push_id_ = id;
    return server.read_stream(2, rodeo::http3::push::max_push_id_frame(id), false);
  }
  // CANCEL_PUSH for `push_id` on the client's control stream (§7.2.3).
  bool cancel_push(std::uint64_t push_id) {
    return server.read_stream(2, rodeo::http3::push::cancel_push_frame(push_id), false);
  }

  static std::vector<std::pair<std::string, std::string>> get(const std::string& path) {
    return {
        {":method", "GET"}, {":scheme", "https"}, {":authority", "example.com"}, {":path", path}};
  }

  // Moves bytes both ways until neither side has more; then closes the request streams
  // both sides have ended, as QUIC would once everything is acknowledged.
  void pump() {
    for (int round = 0; round < 100; ++round) {
      bool moved = client_to_server() | server_to_client();
      if (!moved) break;
    }
    // A push stream closes once its FIN went (acknowledged at once) or it was reset.
    for (const auto& [push_id, p] : pushes) {
      auto q = p.stream;
      if (q < 0 || closed_push_.count(q)) continue;
      if (server_fin_.count(q) || quic.reset.count(q)) {
        closed_push_.insert(q);
        auto code = quic.reset.count(q) ? quic.reset[q] : rodeo::http3::h3_no_error;
        server.stream_closed(q, code);
      }
    }
    for (auto it = open_.begin(); it != open_.end();) {
      if (client_fin_.count(*it) && server_fin_.count(*it)) {
        server.stream_closed(*it, rodeo::http3::h3_no_error);
        nghttp3_conn_close_stream(client_, *it, rodeo::http3::h3_no_error);
        it = open_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // The raw bytes the server wrote on each stream (before the client read them).
  std::map<std::int64_t, std::string> server_bytes;
  std::map<std::int64_t, response> responses;
  std::optional<std::int64_t> goaway;
  std::map<std::int64_t, std::string> request_bodies;
  std::map<std::uint64_t, pushed_response> pushes;  // by push ID

  events ev;
  fake_quic quic;
  rodeo::http3::engine server;

 private:
  bool client_to_server() {
    bool moved = false;
    for (;;) {
      std::int64_t id = -1;
      int fin = 0;
      nghttp3_vec vec[16];
      auto n = nghttp3_conn_writev_stream(client_, &id, &fin, vec, 16);
      if (n < 0 || id < 0) return moved;
      std::string bytes;
      for (nghttp3_ssize i = 0; i < n; ++i)
        bytes.append(reinterpret_cast<const char*>(vec[i].base), vec[i].len);
      nghttp3_conn_add_write_offset(client_, id, bytes.size());
      nghttp3_conn_add_ack_offset(client_, id, bytes.size());
      if ((id & 3) == 0) open_.insert(id);
      if (fin) client_fin_.insert(id);
      if (!quic.stopped.count(id)) server.read_stream(id, bytes, fin != 0);
      moved = true;
      if (bytes.empty() && !fin) return moved;
    }
  }
  bool server_to_client() {
    bool moved = false;
    for (;;) {
      std::int64_t id = -1;
      bool fin = false;
      nghttp3_vec vec[16];
      auto n = server.write_next(id, fin, vec, 16);
      if (n < 0 || id < 0) return moved;
      std::string bytes;
      for (long i = 0; i < n; ++i)
        bytes.append(reinterpret_cast<const char*>(vec[i].base), vec[i].len);
      server.wrote(id, bytes.size());
      server_bytes[id] += bytes;
      if (fin) server_fin_.insert(id);
      if (!quic.reset.count(id)) to_client(id, bytes, fin);
      // The client received them: acknowledged (after, as on the wire).
      server.acked(id, acked_[id], bytes.size());
      acked_[id] += bytes.size();
      moved = true;
      if (bytes.empty() && !fin) return moved;
    }
  }

 public:
  int client_error = 0;
  std::optional<rodeo::http3::push::h3_error> push_error;  // the client's push layer failed

 private:
  void to_client(std::int64_t id, const std::string& bytes, bool fin) {
    namespace p = rodeo::http3::push;
    std::span<const std::uint8_t> in{reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                     bytes.size()};
    std::vector<std::uint8_t> out;
    if ((id & 0x3) == 0x3) {
      auto& reader = uni_[id];
      if (!reader) reader = std::make_unique<p::push_stream_reader>(decoder_, max_push_id_);
      auto r = reader->feed(in, fin, out);
      if (r.error) push_error = r.error;
      for (auto& e : r.events) {
        auto& ps = pushes[e.push_id];
        ps.stream = id;
        if (e.what == p::push_stream_event::kind::headers) ps.fields = e.fields;
        if (e.what == p::push_stream_event::kind::data) ps.body += e.data;
        if (e.what == p::push_stream_event::kind::end) ps.ended = true;
      }
      if (reader->is_push().value_or(false)) return;
    } else {
      auto& filter = promise_filters_[id];
      if (!filter) filter = std::make_unique<p::request_stream_filter>(decoder_, max_push_id_);
      auto r = filter->feed(in, out);
      if (r.error) push_error = r.error;
      for (auto& pr : r.promises) {
        auto& ps = pushes[pr.push_id];
        ps.promise = pr.fields;
        ps.parent = id;
        ps.before_headers = responses[id].fields.empty();
      }
    }
    auto r = nghttp3_conn_read_stream(client_, id, out.data(), out.size(), fin ? 1 : 0);
    if (r < 0) client_error = static_cast<int>(r);
  }

  rodeo::http3::push::field_decoder decoder_;
  std::optional<std::uint64_t> max_push_id_;
  std::map<std::int64_t, std::unique_ptr<rodeo::http3::push::request_stream_filter>>
      promise_filters_;
  std::map<std::int64_t, std::unique_ptr<rodeo::http3::push::push_stream_reader>> uni_;
  std::map<std::int64_t, std::uint64_t> acked_;
  std::set<std::int64_t> closed_push_;

  nghttp3_conn* client_ = nullptr;
  std::int64_t next_bidi_ = 0;
  std::set<std::int64_t> open_, client_fin_, server_fin_;
};

}  // namespace h3test
