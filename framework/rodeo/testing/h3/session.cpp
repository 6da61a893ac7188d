#include "rodeo/testing/h3/session.hpp"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <nghttp3/nghttp3.h>
#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>

#include "rodeo/internal/protocol/http3/push/field_decoder.hpp"
#include "rodeo/internal/protocol/http3/push/frame_writer.hpp"
#include "rodeo/internal/protocol/http3/push/offset_map.hpp"

namespace rodeo::test::h3 {

namespace p = rodeo::http3::push;

namespace {

// CLOCK_MONOTONIC, which std::chrono::steady_clock also reads on Linux: next_timer() turns
// ngtcp2's expiry into a steady_clock time point directly.
ngtcp2_tstamp now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<ngtcp2_tstamp>(ts.tv_sec) * NGTCP2_SECONDS +
         static_cast<ngtcp2_tstamp>(ts.tv_nsec);
}

std::string rc_string(const nghttp3_rcbuf* b) {
  nghttp3_vec v = nghttp3_rcbuf_get_buf(b);
  return std::string(reinterpret_cast<const char*>(v.base), v.len);
}

}  // namespace

struct session::impl {
  session_options opt;
  session_handler& handler;
  int fd = -1;
  sockaddr_storage local{}, remote{};
  socklen_t local_len = sizeof(local), remote_len = sizeof(remote);
  gnutls_certificate_credentials_t cred = nullptr;
  gnutls_session_t tls = nullptr;
  ngtcp2_crypto_conn_ref conn_ref{};
  ngtcp2_conn* conn = nullptr;
  nghttp3_conn* h3 = nullptr;
  std::string failure;                // set by callbacks and I/O; the caller reads it
  std::vector<std::uint8_t> pending;  // a datagram the socket refused (EAGAIN)

  // The client's control stream: nghttp3's bytes plus our MAX_PUSH_ID / CANCEL_PUSH frames.
  std::int64_t control_id = -1;
  p::offset_map control{1};  // its first byte is the stream type, not a frame
  bool max_push_id_sent = false;
  std::vector<std::uint64_t> cancels_due;

  p::field_decoder decoder;
  struct request {
    std::unique_ptr<p::request_stream_filter> filter;
    bool fields_seen = false;
    std::string body;  ///< submit_stalled: the body bytes to send (then nothing, no end)
    bool body_given = false;
  };
  std::map<std::int64_t, request> requests;
  std::map<std::int64_t, std::unique_ptr<p::push_stream_reader>> uni_streams;

  impl(session_options o, session_handler& h) : opt(std::move(o)), handler(h) {}
  ~impl();

  void fail(std::string why) {
    if (failure.empty()) failure = std::move(why);
  }

  bool init_tls();
  bool init_quic();
  void init_h3();
  void read_packets();
  void write_packets();
  bool send_packet(const std::uint8_t* data, std::size_t len);
  void extend(std::int64_t id, std::size_t n) {
    if (n == 0) return;
    // hold_credit: a request stream's window stays where it started.
    if (!(opt.hold_credit && (id & 0x3) == 0)) ngtcp2_conn_extend_max_stream_offset(conn, id, n);
    ngtcp2_conn_extend_max_offset(conn, n);
  }
  std::int64_t submit(const std::vector<field>& fields, const std::string* stalled_body);
  void on_stream_data(std::int64_t id, const std::uint8_t* data, std::size_t len, bool fin);
  void on_push_events(p::push_stream_reader::result& r);

  // ngtcp2 callbacks
  static int on_recv_stream_data(ngtcp2_conn*, std::uint32_t flags, std::int64_t id, std::uint64_t,
                                 const std::uint8_t* data, std::size_t len, void* self, void*) {
    static_cast<impl*>(self)->on_stream_data(id, data, len, flags & NGTCP2_STREAM_DATA_FLAG_FIN);
    return 0;
  }
  static int on_acked(ngtcp2_conn*, std::int64_t id, std::uint64_t offset, std::uint64_t len,
                      void* self, void*) {
    auto* c = static_cast<impl*>(self);
    if (!c->h3) return 0;
    std::uint64_t n = id == c->control_id ? c->control.acked(offset, len) : len;
    if (n > 0 && nghttp3_conn_add_ack_offset(c->h3, id, n) != 0) return NGTCP2_ERR_CALLBACK_FAILURE;
    return 0;
  }
  static int on_stream_close(ngtcp2_conn*, std::uint32_t flags, std::int64_t id,
                             std::uint64_t app_error, void* self, void*) {
    auto* c = static_cast<impl*>(self);
    if (!c->h3) return 0;
    if (!(flags & NGTCP2_STREAM_CLOSE_FLAG_APP_ERROR_CODE_SET)) app_error = NGHTTP3_H3_NO_ERROR;
    if ((id & 0x3) == 0x3) {
      // A push stream done: the server may open another (RFC 9000 §4.6).
      if (c->uni_streams.erase(id) > 0) ngtcp2_conn_extend_max_streams_uni(c->conn, 1);
    } else if (c->requests.erase(id) > 0) {
      c->handler.on_close(id, app_error);
    }
    int rv = nghttp3_conn_close_stream(c->h3, id, app_error);
    if (rv != 0 && rv != NGHTTP3_ERR_STREAM_NOT_FOUND) return NGTCP2_ERR_CALLBACK_FAILURE;
    return 0;
  }
  static int on_stream_reset(ngtcp2_conn*, std::int64_t id, std::uint64_t, std::uint64_t code,
                             void* self, void*) {
    auto* c = static_cast<impl*>(self);
    if (c->requests.count(id)) c->handler.on_reset(id, code);
    auto it = c->uni_streams.find(id);
    if (it != c->uni_streams.end() && it->second->is_push().value_or(false))
      if (auto pid = it->second->push_id()) c->handler.on_push_reset(*pid);
    return 0;
  }
  static int on_extend_max_stream_data(ngtcp2_conn*, std::int64_t id, std::uint64_t, void* self,
                                       void*) {
    auto* c = static_cast<impl*>(self);
    if (c->h3) nghttp3_conn_unblock_stream(c->h3, id);
    return 0;
  }
  static void on_rand(std::uint8_t* dest, std::size_t len, const ngtcp2_rand_ctx*) {
    gnutls_rnd(GNUTLS_RND_RANDOM, dest, len);
  }
  static int on_new_cid(ngtcp2_conn*, ngtcp2_cid* cid, std::uint8_t* token, std::size_t len,
                        void*) {
    if (gnutls_rnd(GNUTLS_RND_RANDOM, cid->data, len) != 0) return NGTCP2_ERR_CALLBACK_FAILURE;
    cid->datalen = len;
    if (gnutls_rnd(GNUTLS_RND_RANDOM, token, NGTCP2_STATELESS_RESET_TOKENLEN) != 0) {
      return NGTCP2_ERR_CALLBACK_FAILURE;
    }
    return 0;
  }
  static ngtcp2_conn* get_conn(ngtcp2_crypto_conn_ref* ref) {
    return static_cast<impl*>(ref->user_data)->conn;
  }

  // nghttp3 callbacks: header and trailer fields alike.
  template <bool trailer>
  static int h3_recv_field(nghttp3_conn*, std::int64_t id, std::int32_t, nghttp3_rcbuf* name,
                           nghttp3_rcbuf* value, std::uint8_t, void* self, void*) {
    auto* c = static_cast<impl*>(self);
    auto it = c->requests.find(id);
    if (it == c->requests.end()) return 0;
    it->second.fields_seen = true;
    c->handler.on_field(id, {rc_string(name), rc_string(value)}, trailer);
    return 0;
  }
  static int h3_recv_data(nghttp3_conn*, std::int64_t id, const std::uint8_t* data, std::size_t len,
                          void* self, void*) {
    auto* c = static_cast<impl*>(self);
    if (c->requests.count(id)) c->handler.on_data(id, {data, len});
    c->extend(id, len);  // consumed at once: the handler keeps what it needs
    return 0;
  }
  static int h3_deferred_consume(nghttp3_conn*, std::int64_t id, std::size_t n, void* self, void*) {
    static_cast<impl*>(self)->extend(id, n);
    return 0;
  }
  static int h3_shutdown(nghttp3_conn*, std::int64_t id, void* self) {
    static_cast<impl*>(self)->handler.on_goaway(id);
    return 0;
  }
  static int h3_end_stream(nghttp3_conn*, std::int64_t id, void* self, void*) {
    auto* c = static_cast<impl*>(self);
    if (c->requests.count(id)) c->handler.on_end(id);
    return 0;
  }
};

session::impl::~impl() {
  if (conn && fd >= 0 && !ngtcp2_conn_is_in_closing_period(conn) &&
      !ngtcp2_conn_is_in_draining_period(conn)) {
    ngtcp2_connection_close_error ccerr;
    ngtcp2_connection_close_error_default(&ccerr);
    ngtcp2_connection_close_error_set_application_error(&ccerr, NGHTTP3_H3_NO_ERROR, nullptr, 0);
    std::uint8_t buf[1500];
    ngtcp2_path_storage ps;
    ngtcp2_path_storage_zero(&ps);
    ngtcp2_pkt_info pi;
    auto n =
        ngtcp2_conn_write_connection_close(conn, &ps.path, &pi, buf, sizeof(buf), &ccerr, now_ns());
    if (n > 0) (void)::send(fd, buf, static_cast<std::size_t>(n), 0);
  }
  if (h3) nghttp3_conn_del(h3);
  if (conn) ngtcp2_conn_del(conn);
  if (tls) gnutls_deinit(tls);
  if (cred) gnutls_certificate_free_credentials(cred);
  if (fd >= 0) ::close(fd);
}

bool session::impl::init_tls() {
  if (gnutls_certificate_allocate_credentials(&cred) != 0 ||
      gnutls_init(&tls, GNUTLS_CLIENT | GNUTLS_ENABLE_EARLY_DATA | GNUTLS_NO_END_OF_EARLY_DATA) !=
          0) {
    fail("h3 client: gnutls init failed");
    return false;
  }
  // QUIC is TLS 1.3 only (RFC 9001 §4.2).
  if (gnutls_priority_set_direct(tls, "NORMAL:-VERS-ALL:+VERS-TLS1.3", nullptr) != 0 ||
      ngtcp2_crypto_gnutls_configure_client_session(tls) != 0 ||
      gnutls_credentials_set(tls, GNUTLS_CRD_CERTIFICATE, cred) != 0) {
    fail("h3 client: gnutls session setup failed");
    return false;
  }
  conn_ref.get_conn = get_conn;
  conn_ref.user_data = this;
  gnutls_session_set_ptr(tls, &conn_ref);
  gnutls_datum_t alpn{reinterpret_cast<unsigned char*>(const_cast<char*>("h3")), 2};
  gnutls_alpn_set_protocols(tls, &alpn, 1, GNUTLS_ALPN_MANDATORY);
  if (!opt.server_name.empty()) {
    gnutls_server_name_set(tls, GNUTLS_NAME_DNS, opt.server_name.data(), opt.server_name.size());
  }
  return true;
}

bool session::impl::init_quic() {
  ngtcp2_callbacks cb{};
  cb.client_initial = ngtcp2_crypto_client_initial_cb;
  cb.recv_crypto_data = ngtcp2_crypto_recv_crypto_data_cb;
  cb.encrypt = ngtcp2_crypto_encrypt_cb;
  cb.decrypt = ngtcp2_crypto_decrypt_cb;
  cb.hp_mask = ngtcp2_crypto_hp_mask_cb;
  cb.recv_retry = ngtcp2_crypto_recv_retry_cb;
  cb.update_key = ngtcp2_crypto_update_key_cb;
  cb.delete_crypto_aead_ctx = ngtcp2_crypto_delete_crypto_aead_ctx_cb;
  cb.delete_crypto_cipher_ctx = ngtcp2_crypto_delete_crypto_cipher_ctx_cb;
  cb.get_path_challenge_data = ngtcp2_crypto_get_path_challenge_data_cb;
  cb.version_negotiation = ngtcp2_crypto_version_negotiation_cb;
  cb.rand = on_rand;
  cb.get_new_connection_id = on_new_cid;
  cb.recv_stream_data = on_recv_stream_data;
  cb.acked_stream_data_offset = on_acked;
  cb.stream_close = on_stream_close;
  cb.extend_max_stream_data = on_extend_max_stream_data;
  cb.stream_reset = on_stream_reset;

  ngtcp2_cid dcid, scid;
  dcid.datalen = 18;
  scid.datalen = 17;
  gnutls_rnd(GNUTLS_RND_RANDOM, dcid.data, dcid.datalen);
  gnutls_rnd(GNUTLS_RND_RANDOM, scid.data, scid.datalen);
  ngtcp2_settings settings;
  ngtcp2_settings_default(&settings);
  settings.initial_ts = now_ns();
  ngtcp2_transport_params params;
  ngtcp2_transport_params_default(&params);
  params.initial_max_streams_uni = opt.max_streams_uni;
  params.initial_max_streams_bidi = 0;
  params.initial_max_stream_data_bidi_local = opt.stream_window;
  params.initial_max_stream_data_uni = opt.stream_window;
  params.initial_max_data = opt.connection_window;
  params.max_idle_timeout = 30 * NGTCP2_SECONDS;
  ngtcp2_path path{{reinterpret_cast<sockaddr*>(&local), local_len},
                   {reinterpret_cast<sockaddr*>(&remote), remote_len},
                   nullptr};
  if (int rv = ngtcp2_conn_client_new(&conn, &dcid, &scid, &path, NGTCP2_PROTO_VER_V1, &cb,
                                      &settings, &params, nullptr, this);
      rv != 0) {
    fail(std::string("h3 client: ngtcp2_conn_client_new: ") + ngtcp2_strerror(rv));
    return false;
  }
  ngtcp2_conn_set_tls_native_handle(conn, tls);
  return true;
}

void session::impl::init_h3() {
  if (ngtcp2_conn_get_streams_uni_left(conn) < 3) {
    return fail("h3 client: the server allows fewer than 3 unidirectional streams");
  }
  nghttp3_callbacks cb{};
  cb.recv_header = h3_recv_field<false>;
  cb.recv_trailer = h3_recv_field<true>;
  cb.recv_data = h3_recv_data;
  cb.deferred_consume = h3_deferred_consume;
  cb.end_stream = h3_end_stream;
  cb.shutdown = h3_shutdown;
  nghttp3_settings settings;
  nghttp3_settings_default(&settings);
  // RFC 9204 §3.2.3: no dynamic table, so that promises and push streams decode alone.
  settings.qpack_max_dtable_capacity = 0;
  settings.qpack_blocked_streams = 0;
  if (nghttp3_conn_client_new(&h3, &cb, &settings, nghttp3_mem_default(), this) != 0) {
    return fail("h3 client: nghttp3_conn_client_new failed");
  }
  std::int64_t enc = -1, dec = -1;
  if (ngtcp2_conn_open_uni_stream(conn, &control_id, nullptr) != 0 ||
      ngtcp2_conn_open_uni_stream(conn, &enc, nullptr) != 0 ||
      ngtcp2_conn_open_uni_stream(conn, &dec, nullptr) != 0 ||
      nghttp3_conn_bind_control_stream(h3, control_id) != 0 ||
      nghttp3_conn_bind_qpack_streams(h3, enc, dec) != 0) {
    return fail("h3 client: cannot open the control and QPACK streams");
  }
}

void session::impl::on_push_events(p::push_stream_reader::result& r) {
  for (auto& e : r.events) handler.on_push(e);
  if (r.error) fail("h3 client: push stream: " + std::string(p::to_string(*r.error)));
}

void session::impl::on_stream_data(std::int64_t id, const std::uint8_t* data, std::size_t len,
                                   bool fin) {
  if (!h3) return;
  std::vector<std::uint8_t> out;
  std::span<const std::uint8_t> in(data, len);
  bool server_uni = (id & 0x3) == 0x3;
  if (server_uni) {
    auto& reader = uni_streams[id];
    if (!reader) reader = std::make_unique<p::push_stream_reader>(decoder, opt.max_push_id);
    auto r = reader->feed(in, fin, out);
    if (reader->is_push().value_or(false)) {
      extend(id, len);  // every push stream byte is consumed here
      on_push_events(r);
      return;
    }
    if (r.error) return fail("h3 client: " + std::string(p::to_string(*r.error)));
  } else if (auto it = requests.find(id); it != requests.end()) {
    request& req = it->second;
    auto r = req.filter->feed(in, out);
    extend(id, r.removed);  // nghttp3 never sees the promises' bytes
    for (auto& pr : r.promises) {
      // Filtered before nghttp3 reads these bytes: no response field seen yet means the
      // promise came first.
      handler.on_promise(id, pr, !req.fields_seen);
    }
    if (r.error) return fail("h3 client: response stream: " + std::string(p::to_string(*r.error)));
  } else {
    out.assign(data, data + len);
  }
  auto n = nghttp3_conn_read_stream(h3, id, out.data(), out.size(), fin ? 1 : 0);
  if (n < 0)
    return fail(std::string("h3 client: nghttp3: ") + nghttp3_strerror(static_cast<int>(n)));
  extend(id, static_cast<std::size_t>(n));
}

// False when the socket did not take the datagram now (it is kept in `pending`) or failed.
bool session::impl::send_packet(const std::uint8_t* data, std::size_t len) {
  for (;;) {
    if (::send(fd, data, len, 0) >= 0) return true;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      pending.assign(data, data + len);
      return false;
    }
    fail(std::string("h3 client: send: ") + std::strerror(errno));
    return false;
  }
}

void session::impl::read_packets() {
  std::uint8_t buf[65536];
  for (;;) {
    sockaddr_storage from{};
    socklen_t from_len = sizeof(from);
    auto n = ::recvfrom(fd, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      return fail(std::string("h3 client: recv: ") + std::strerror(errno));
    }
    ngtcp2_path path{{reinterpret_cast<sockaddr*>(&local), local_len},
                     {reinterpret_cast<sockaddr*>(&from), from_len},
                     nullptr};
    ngtcp2_pkt_info pi{};
    int rv = ngtcp2_conn_read_pkt(conn, &path, &pi, buf, static_cast<std::size_t>(n), now_ns());
    if (rv != 0) {
      if (rv == NGTCP2_ERR_DRAINING) return fail("h3 client: the server closed the connection");
      return fail(std::string("h3 client: ngtcp2_conn_read_pkt: ") + ngtcp2_strerror(rv));
    }
    if (!failure.empty()) return;
  }
}

void session::impl::write_packets() {
  if (!pending.empty()) {
    std::vector<std::uint8_t> again;
    again.swap(pending);
    if (!send_packet(again.data(), again.size())) return;
  }
  std::uint8_t buf[1500];
  ngtcp2_path_storage ps;
  ngtcp2_path_storage_zero(&ps);
  for (int guard = 0; guard < 10000; ++guard) {
    // The client's own frames go on its control stream once nghttp3's SETTINGS are out
    // (RFC 9114 §6.2.1: SETTINGS first).
    if (h3 && control.h3_offset() > 1 && control.can_inject()) {
      if (opt.max_push_id && !max_push_id_sent) {
        control.inject(p::max_push_id_frame(*opt.max_push_id));
        if (opt.then_max_push_id) control.inject(p::max_push_id_frame(*opt.then_max_push_id));
        max_push_id_sent = true;
      }
      for (auto id : cancels_due) control.inject(p::cancel_push_frame(id));
      cancels_due.clear();
    }
    std::int64_t stream_id = -1;
    int fin = 0;
    nghttp3_vec vec[16];
    nghttp3_ssize veccnt = 0;
    bool injected = false;
    if (auto unsent = control.injected_unsent(); !unsent.empty()) {
      stream_id = control_id;
      vec[0] = {const_cast<std::uint8_t*>(unsent.data()), unsent.size()};
      veccnt = 1;
      injected = true;
    } else if (h3 && ngtcp2_conn_get_max_data_left(conn) > 0) {
      veccnt = nghttp3_conn_writev_stream(h3, &stream_id, &fin, vec, 16);
      if (veccnt < 0) return fail("h3 client: nghttp3_conn_writev_stream failed");
    }
    ngtcp2_ssize accepted = -1;
    std::uint32_t flags = NGTCP2_WRITE_STREAM_FLAG_MORE;
    if (fin) flags |= NGTCP2_WRITE_STREAM_FLAG_FIN;
    ngtcp2_pkt_info pi;
    auto n = ngtcp2_conn_writev_stream(conn, &ps.path, &pi, buf, sizeof(buf), &accepted, flags,
                                       stream_id, reinterpret_cast<const ngtcp2_vec*>(vec),
                                       static_cast<std::size_t>(veccnt), now_ns());
    if (n < 0) {
      if (n == NGTCP2_ERR_STREAM_DATA_BLOCKED) {
        if (injected) return;  // control stream blocked: wait for credit
        nghttp3_conn_block_stream(h3, stream_id);
        continue;
      }
      if (n == NGTCP2_ERR_STREAM_SHUT_WR) {
        nghttp3_conn_shutdown_stream_write(h3, stream_id);
        continue;
      }
      if (n != NGTCP2_ERR_WRITE_MORE) {
        return fail(std::string("h3 client: ngtcp2_conn_writev_stream: ") +
                    ngtcp2_strerror(static_cast<int>(n)));
      }
    }
    if (accepted >= 0 && stream_id >= 0) {
      auto count = static_cast<std::size_t>(accepted);
      if (injected) {
        control.injected_sent(count);
      } else {
        if (stream_id == control_id) {
          // Which of nghttp3's bytes went out: the map follows its frames.
          std::size_t left = count;
          for (nghttp3_ssize i = 0; i < veccnt && left > 0; ++i) {
            std::size_t k = std::min(left, vec[i].len);
            control.h3_sent({vec[i].base, k});
            left -= k;
          }
        }
        nghttp3_conn_add_write_offset(h3, stream_id, count);
      }
    }
    if (n == NGTCP2_ERR_WRITE_MORE) continue;
    if (n == 0) return;
    if (!send_packet(buf, static_cast<std::size_t>(n))) return;
  }
}

session::session(session_options options, session_handler& handler)
    : impl_(std::make_unique<impl>(std::move(options), handler)) {}

session::~session() = default;

bool session::open(const sockaddr* remote, socklen_t len) {
  impl& c = *impl_;
  c.fd = ::socket(remote->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c.fd < 0) {
    c.fail(std::string("h3 client: socket: ") + std::strerror(errno));
    return false;
  }
  std::memcpy(&c.remote, remote, len);
  c.remote_len = len;
  if (::connect(c.fd, remote, len) != 0 ||
      getsockname(c.fd, reinterpret_cast<sockaddr*>(&c.local), &c.local_len) != 0) {
    c.fail(std::string("h3 client: connect: ") + std::strerror(errno));
    return false;
  }
  return c.init_tls() && c.init_quic();
}

int session::fd() const { return impl_->fd; }

bool session::ready() const { return impl_->h3 != nullptr && impl_->failure.empty(); }

std::uint64_t session::requests_left() const {
  return impl_->conn ? ngtcp2_conn_get_streams_bidi_left(impl_->conn) : 0;
}

std::int64_t session::submit(const std::vector<field>& fields) {
  return impl_->submit(fields, nullptr);
}

std::int64_t session::submit_stalled(const std::vector<field>& fields, std::string body_start) {
  return impl_->submit(fields, &body_start);
}

std::int64_t session::impl::submit(const std::vector<field>& fields,
                                   const std::string* stalled_body) {
  impl& c = *this;
  if (!(c.h3 != nullptr && c.failure.empty())) {
    c.fail("h3 client: request submitted before the handshake completed");
    return -1;
  }
  std::int64_t id = -1;
  if (ngtcp2_conn_open_bidi_stream(c.conn, &id, nullptr) != 0) {
    c.fail("h3 client: no bidirectional stream left");
    return -1;
  }
  std::vector<nghttp3_nv> nva;
  nva.reserve(fields.size());
  for (const auto& f : fields) {
    nva.push_back({reinterpret_cast<std::uint8_t*>(const_cast<char*>(f.name.data())),
                   reinterpret_cast<std::uint8_t*>(const_cast<char*>(f.value.data())),
                   f.name.size(), f.value.size(), NGHTTP3_NV_FLAG_NONE});
  }
  auto& req = c.requests[id];
  req.filter = std::make_unique<p::request_stream_filter>(c.decoder, c.opt.max_push_id);
  // A stalled body: its first bytes, then "not yet" for ever (no end of stream).
  nghttp3_data_reader reader{[](nghttp3_conn*, std::int64_t sid, nghttp3_vec* vec, std::size_t,
                                std::uint32_t*, void* self, void*) -> nghttp3_ssize {
    auto& reqs = static_cast<impl*>(self)->requests;
    auto it = reqs.find(sid);
    if (it == reqs.end() || it->second.body_given) return NGHTTP3_ERR_WOULDBLOCK;
    it->second.body_given = true;
    vec[0].base = reinterpret_cast<std::uint8_t*>(it->second.body.data());
    vec[0].len = it->second.body.size();
    return 1;
  }};
  if (stalled_body) req.body = *stalled_body;
  if (nghttp3_conn_submit_request(c.h3, id, nva.data(), nva.size(),
                                  stalled_body ? &reader : nullptr, nullptr) != 0) {
    c.fail("h3 client: nghttp3_conn_submit_request failed");
    return -1;
  }
  return id;
}

void session::cancel_push(std::uint64_t push_id) { impl_->cancels_due.push_back(push_id); }

void session::on_readable() {
  impl& c = *impl_;
  if (!c.failure.empty()) return;
  c.read_packets();
  flush();
}

void session::flush() {
  impl& c = *impl_;
  if (!c.failure.empty() || !c.conn) return;
  if (!c.h3 && ngtcp2_conn_get_handshake_completed(c.conn)) c.init_h3();
  if (c.failure.empty()) c.write_packets();
}

std::chrono::steady_clock::time_point session::next_timer() const {
  using clock = std::chrono::steady_clock;
  if (!impl_->conn || !impl_->failure.empty()) return clock::time_point::max();
  ngtcp2_tstamp t = ngtcp2_conn_get_expiry(impl_->conn);
  if (t == UINT64_MAX) return clock::time_point::max();
  return clock::time_point(
      std::chrono::duration_cast<clock::duration>(std::chrono::nanoseconds(t)));
}

void session::on_timer() {
  impl& c = *impl_;
  if (!c.failure.empty() || !c.conn) return;
  if (ngtcp2_conn_get_expiry(c.conn) <= now_ns()) {
    int e = ngtcp2_conn_handle_expiry(c.conn, now_ns());
    if (e == NGTCP2_ERR_IDLE_CLOSE) return c.fail("h3 client: idle timeout");
    if (e != 0) return c.fail(std::string("h3 client: ") + ngtcp2_strerror(e));
  }
  flush();
}

bool session::wants_write() const { return !impl_->pending.empty(); }

const std::string& session::failure() const { return impl_->failure; }

}  // namespace rodeo::test::h3
