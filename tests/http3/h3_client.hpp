#pragma once
// An in-memory HTTP/3 peer for the engine's tests: an nghttp3 client connection and a fake
// QUIC layer between it and the server engine. Stream bytes go across whole, in order, and
// are acknowledged at once; no sockets, no ngtcp2.

#include <nghttp3/nghttp3.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rodeo/internal/protocol/http3/engine.hpp"

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
  std::int64_t next_uni = 3;  // server-initiated unidirectional: 3, 7, 11...

  void stop_reading(std::int64_t id, std::uint64_t code) override { stopped[id] = code; }
  void reset_writing(std::int64_t id, std::uint64_t code) override { reset[id] = code; }
  void consumed(std::int64_t id, std::size_t n) override { credit[id] += n; }
  std::optional<std::int64_t> open_uni() override {
    auto id = next_uni;
    next_uni += 4;
    return id;
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
      server.acked(id, bytes.size());
      server_bytes[id] += bytes;
      if (fin) server_fin_.insert(id);
      if (!quic.reset.count(id)) {
        auto r = nghttp3_conn_read_stream(client_, id,
                                          reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                          bytes.size(), fin ? 1 : 0);
        if (r < 0) client_error = static_cast<int>(r);
      }
      moved = true;
      if (bytes.empty() && !fin) return moved;
    }
  }

 public:
  int client_error = 0;

 private:
  nghttp3_conn* client_ = nullptr;
  std::int64_t next_bidi_ = 0;
  std::set<std::int64_t> open_, client_fin_, server_fin_;
};

}  // namespace h3test
