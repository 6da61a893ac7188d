#include "transport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

SSL_CTX* make_client_tls_context() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return nullptr;
  // RFC 9113 section 9.2: HTTP/2 over TLS needs TLS 1.2 or later.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  // A peer that drops the TCP connection without close_notify ends the read like EOF.
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  static const unsigned char alpn[] = "\x02h2";
  if (SSL_CTX_set_alpn_protos(ctx, alpn, sizeof alpn - 1) != 0) {  // 0 means success
    SSL_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

transport::~transport() { close(); }

void transport::close() {
  if (ssl_ != nullptr) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  state_ = state::closed;
  needs_write_ = false;
}

transport::io transport::fail(const std::string& what) {
  error_ = what;
  return io::error;
}

bool transport::open(const sockaddr* addr, socklen_t len, SSL_CTX* tls, const std::string& sni) {
  close();
  error_.clear();
  fd_ = ::socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    error_ = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  int one = 1;
  // Small frames (HEADERS, WINDOW_UPDATE) must not wait for Nagle; h2load does the same.
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd_, addr, len) != 0 && errno != EINPROGRESS) {
    error_ = std::string("connect: ") + std::strerror(errno);
    close();
    return false;
  }
  if (tls != nullptr) {
    ssl_ = SSL_new(tls);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) {
      error_ = "tls: SSL_new failed";
      close();
      return false;
    }
    in6_addr scratch{};
    bool literal = inet_pton(AF_INET, sni.c_str(), &scratch) == 1 ||
                   inet_pton(AF_INET6, sni.c_str(), &scratch) == 1;
    // RFC 6066 section 3: SNI carries host names only, never address literals.
    if (!literal) SSL_set_tlsext_host_name(ssl_, sni.c_str());
    SSL_set_connect_state(ssl_);
  }
  state_ = state::connecting;
  needs_write_ = true;  // connect completion shows as writability
  return true;
}

transport::io transport::tls_result(int rv, const char* op) {
  int err = SSL_get_error(ssl_, rv);  // right after the call, before anything else touches SSL
  switch (err) {
    case SSL_ERROR_WANT_READ:
      needs_write_ = false;
      return io::again;
    case SSL_ERROR_WANT_WRITE:
      needs_write_ = true;
      return io::again;
    case SSL_ERROR_ZERO_RETURN:
      return io::closed;
    case SSL_ERROR_SYSCALL:
      if (errno == 0) return io::closed;  // EOF without close_notify
      return fail(std::string("tls ") + op + ": " + std::strerror(errno));
    default: {
      char buf[256];
      ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
      return fail(std::string("tls ") + op + ": " + buf);
    }
  }
}

transport::io transport::handshake() {
  if (state_ == state::ready) return io::ok;
  if (state_ == state::connecting) {
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0) soerr = errno;
    if (soerr != 0) return fail(std::string("connect: ") + std::strerror(soerr));
    state_ = ssl_ != nullptr ? state::tls_handshake : state::ready;
    needs_write_ = false;
    if (state_ == state::ready) return io::ok;
  }
  if (state_ != state::tls_handshake) return fail("handshake on a closed transport");
  ERR_clear_error();
  int rv = SSL_do_handshake(ssl_);
  if (rv != 1) {
    io r = tls_result(rv, "handshake");
    return r == io::closed ? fail("tls handshake: connection closed") : r;
  }
  const unsigned char* proto = nullptr;
  unsigned proto_len = 0;
  SSL_get0_alpn_selected(ssl_, &proto, &proto_len);
  // RFC 9113 section 3.2: "h2" must be negotiated; anything else is not HTTP/2.
  if (proto_len != 2 || std::memcmp(proto, "h2", 2) != 0)
    return fail("tls: server did not select ALPN h2");
  state_ = state::ready;
  needs_write_ = false;
  return io::ok;
}

transport::io transport::read(std::uint8_t* buf, std::size_t cap, std::size_t& got) {
  if (ssl_ != nullptr) {
    ERR_clear_error();
    int rv = SSL_read(ssl_, buf, static_cast<int>(cap));
    if (rv > 0) {
      got = static_cast<std::size_t>(rv);
      needs_write_ = false;
      return io::ok;
    }
    return tls_result(rv, "read");
  }
  ssize_t n = ::recv(fd_, buf, cap, 0);
  if (n > 0) {
    got = static_cast<std::size_t>(n);
    return io::ok;
  }
  if (n == 0) return io::closed;
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return io::again;
  return fail(std::string("read: ") + std::strerror(errno));
}

transport::io transport::write(const std::uint8_t* buf, std::size_t len, std::size_t& wrote) {
  if (ssl_ != nullptr) {
    ERR_clear_error();
    int rv = SSL_write(ssl_, buf, static_cast<int>(len));
    if (rv > 0) {
      wrote = static_cast<std::size_t>(rv);
      return io::ok;
    }
    return tls_result(rv, "write");
  }
  ssize_t n = ::send(fd_, buf, len, MSG_NOSIGNAL);
  if (n >= 0) {
    wrote = static_cast<std::size_t>(n);
    return io::ok;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
    needs_write_ = true;
    return io::again;
  }
  return fail(std::string("write: ") + std::strerror(errno));
}
