// A non-blocking TCP socket, optionally wrapped in TLS with ALPN h2. No HTTP here.
#pragma once

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string>

/// Builds the client TLS context: TLS >= 1.2, ALPN "h2" only, no certificate verification
/// (the benchmark talks to self-signed servers). Returns nullptr on failure.
SSL_CTX* make_client_tls_context();

/// One connection's byte pipe. Owns the socket and the SSL object.
class transport {
 public:
  /// Result of one step.
  enum class io { ok, again, closed, error };

  transport() = default;
  ~transport();
  transport(const transport&) = delete;
  transport& operator=(const transport&) = delete;

  /// Starts a non-blocking connect. `tls` may be null for h2c; `sni` is sent when it is a name.
  /// Returns false (see error()) when the connect fails at once.
  bool open(const sockaddr* addr, socklen_t len, SSL_CTX* tls, const std::string& sni);
  /// Drives connect and the TLS handshake: ok once HTTP/2 may start, again to wait for the
  /// socket (needs_write() says which way), error otherwise (also when ALPN did not pick h2).
  io handshake();
  /// Reads up to `cap` bytes into `buf`; `got` is set on ok.
  io read(std::uint8_t* buf, std::size_t cap, std::size_t& got);
  /// Writes up to `len` bytes; `wrote` is set on ok (may be less than len).
  io write(const std::uint8_t* buf, std::size_t len, std::size_t& wrote);
  /// True when the last `again` waits for the socket to become writable.
  bool needs_write() const { return needs_write_; }
  /// Closes the socket (no TLS close_notify: the run is over or the peer is gone).
  void close();
  int fd() const { return fd_; }
  /// The last failure, in a few words.
  const std::string& error() const { return error_; }

 private:
  io fail(const std::string& what);
  io tls_result(int rv, const char* op);

  enum class state { closed, connecting, tls_handshake, ready };
  state state_ = state::closed;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  bool needs_write_ = false;
  std::string error_;
};
