// HTTP/2 client side: an nghttp2 client session fed in memory. Push is enabled (the default
// of SETTINGS_ENABLE_PUSH, RFC 9113 §6.5.2); each PUSH_PROMISE opens a pushed stream whose
// request and response are collected beside the main response.
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "rodeo/testing/peer.hpp"

namespace rodeo::testing {

namespace {

nghttp2_nv field(const std::string& n, const std::string& v) {
  return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(n.data())),
          reinterpret_cast<std::uint8_t*>(const_cast<char*>(v.data())), n.size(), v.size(),
          NGHTTP2_NV_FLAG_NONE};
}

class http2_peer final : public peer {
 public:
  explicit http2_peer(const request& r) : body_(r.body) {
    nghttp2_session_callbacks* cb = nullptr;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_begin_headers_callback(cb, on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_stream_close);
    nghttp2_session_client_new(&session_, cb, this);
    nghttp2_session_callbacks_del(cb);

    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, nullptr, 0);
    const std::string method = ":method", scheme = ":scheme", authority = ":authority",
                      path = ":path", http = "http";
    std::vector<nghttp2_nv> nva{field(method, r.method), field(scheme, http),
                                field(authority, r.host), field(path, r.path)};
    fields_ = request_fields(r);
    for (const auto& [n, v] : fields_) nva.push_back(field(n, v));
    nghttp2_data_provider data{};
    data.read_callback = read_body;
    const bool has_body = !body_.empty();
    main_ = nghttp2_submit_request(session_, nullptr, nva.data(), nva.size(),
                                   has_body ? &data : nullptr, nullptr);
    open_ = main_ > 0 ? 1 : 0;
  }
  ~http2_peer() override { nghttp2_session_del(session_); }

  std::string output() override {
    std::string out;
    const std::uint8_t* data = nullptr;
    for (ssize_t n; (n = nghttp2_session_mem_send(session_, &data)) > 0;)
      out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    return out;
  }

  void input(std::string_view bytes) override {
    if (failed_) return;
    if (nghttp2_session_mem_recv(session_, reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                 bytes.size()) < 0)
      failed_ = true;
  }

  void closed() override { failed_ = true; }
  bool done() const override { return failed_ || open_ == 0; }

  response take() override {
    response out = std::move(res_);
    for (auto& [id, p] : pushes_) out.pushes.push_back(std::move(p));
    return out;
  }

 private:
  static http2_peer& of(void* p) { return *static_cast<http2_peer*>(p); }

  // The message a frame's fields go to: the main response, a pushed one, or nothing.
  message* target(std::int32_t stream) {
    if (stream == main_) return &current_;
    auto it = pushes_.find(stream);
    return it == pushes_.end() ? nullptr : &it->second;
  }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* f, void* u) {
    auto& self = of(u);
    if (f->hd.type == NGHTTP2_PUSH_PROMISE) {
      self.pushes_[f->push_promise.promised_stream_id];
      ++self.open_;
    } else if (f->hd.type == NGHTTP2_HEADERS) {
      self.trailers_ = f->headers.cat == NGHTTP2_HCAT_HEADERS && self.final_[f->hd.stream_id];
    }
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* f, const std::uint8_t* name,
                       std::size_t namelen, const std::uint8_t* value, std::size_t valuelen,
                       std::uint8_t, void* u) {
    auto& self = of(u);
    std::string n(reinterpret_cast<const char*>(name), namelen);
    std::string v(reinterpret_cast<const char*>(value), valuelen);
    if (f->hd.type == NGHTTP2_PUSH_PROMISE) {
      auto& p = self.pushes_[f->push_promise.promised_stream_id];
      if (n == ":method")
        p.method = v;
      else if (n == ":path")
        p.path = v;
      else if (n == ":authority")
        p.host = v;
      else if (!n.starts_with(":"))
        p.promised.emplace_back(std::move(n), std::move(v));
      return 0;
    }
    message* m = self.target(f->hd.stream_id);
    if (!m) return 0;
    if (n == ":status")
      m->status = std::stoi(v);
    else if (!n.starts_with(":"))
      (self.trailers_ ? m->trailers : m->headers).emplace_back(std::move(n), std::move(v));
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* f, void* u) {
    auto& self = of(u);
    if (f->hd.type != NGHTTP2_HEADERS) return 0;
    message* m = self.target(f->hd.stream_id);
    if (!m || self.trailers_) return 0;
    if (m->status >= 100 && m->status < 200) {
      // A 1xx (RFC 9113 §8.1): set aside, the final response follows on the same stream.
      if (f->hd.stream_id == self.main_) self.res_.informational.push_back(std::move(*m));
      *m = {};
    } else {
      self.final_[f->hd.stream_id] = true;
    }
    return 0;
  }

  static int on_data(nghttp2_session*, std::uint8_t, std::int32_t stream, const std::uint8_t* d,
                     std::size_t len, void* u) {
    if (message* m = of(u).target(stream)) m->body.append(reinterpret_cast<const char*>(d), len);
    return 0;
  }

  static int on_stream_close(nghttp2_session*, std::int32_t stream, std::uint32_t error, void* u) {
    auto& self = of(u);
    if (stream == self.main_) {
      static_cast<message&>(self.res_) = std::move(self.current_);
      self.res_.complete = error == NGHTTP2_NO_ERROR && self.final_[stream];
    } else if (auto it = self.pushes_.find(stream); it != self.pushes_.end()) {
      it->second.complete = error == NGHTTP2_NO_ERROR && self.final_[stream];
    } else {
      return 0;
    }
    --self.open_;
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, std::int32_t, std::uint8_t* buf, std::size_t len,
                           std::uint32_t* flags, nghttp2_data_source*, void* u) {
    auto& self = of(u);
    const std::size_t n = std::min(len, self.body_.size() - self.sent_);
    std::copy_n(self.body_.data() + self.sent_, n, buf);
    self.sent_ += n;
    if (self.sent_ == self.body_.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  nghttp2_session* session_ = nullptr;
  std::string body_;
  std::size_t sent_ = 0;
  rodeo::headers fields_;
  std::int32_t main_ = 0;
  int open_ = 0;  // streams not closed yet: the main one and the pushed ones
  bool failed_ = false, trailers_ = false;
  message current_;
  response res_;
  std::map<std::int32_t, pushed> pushes_;  // by promised stream id: the order promised
  std::map<std::int32_t, bool> final_;     // streams whose final response head arrived
};

}  // namespace

std::unique_ptr<peer> make_http2_peer(const request& r) { return std::make_unique<http2_peer>(r); }

}  // namespace rodeo::testing
