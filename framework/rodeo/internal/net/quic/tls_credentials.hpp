#pragma once
/// \file
/// The TLS side of the QUIC listener: GnuTLS (OpenSSL 3.0 has no QUIC API) with the same PEM
/// certificate and key as the TCP TLS listener, TLS 1.3 only (RFC 9001 §4.2), ALPN "h3"
/// (RFC 9114 §3.1).

#include <gnutls/gnutls.h>

#include <memory>
#include <string>

#include "rodeo/result.hpp"

namespace asio::ssl {
class context;
}

namespace rodeo::quic {

class tls_credentials {
 public:
  /// From PEM files (the chain in `cert_file` included). The error names the files.
  static result<std::shared_ptr<tls_credentials>> from_files(const std::string& cert_file,
                                                             const std::string& key_file);
  /// From the certificate and key of an OpenSSL server context (the self-signed one made at
  /// start), exported as PEM.
  static result<std::shared_ptr<tls_credentials>> from_context(asio::ssl::context& ctx);

  ~tls_credentials();
  tls_credentials(const tls_credentials&) = delete;
  tls_credentials& operator=(const tls_credentials&) = delete;

  /// A server session for one QUIC connection: priorities, ALPN h3, the credentials, and
  /// ngtcp2's QUIC hooks. `conn_ref` is an ngtcp2_crypto_conn_ref. Null on failure.
  gnutls_session_t new_session(void* conn_ref) const;

 private:
  tls_credentials() = default;
  gnutls_certificate_credentials_t cred_ = nullptr;
};

}  // namespace rodeo::quic
