#include "rodeo/internal/net/quic/tls_credentials.hpp"

#include <ngtcp2/ngtcp2_crypto_gnutls.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <asio/ssl/context.hpp>

namespace rodeo::quic {

namespace {

// TLS 1.3 only: QUIC has no other (RFC 9001 §4.2). No middlebox compatibility mode (§8.4).
constexpr const char* priorities =
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:"
    "+AES-128-CCM:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:"
    "+GROUP-SECP521R1:%DISABLE_TLS13_COMPAT_MODE";

std::string pem_of(int (*write)(BIO*, void*), void* obj) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new(BIO_s_mem()), BIO_free};
  if (!bio || write(bio.get(), obj) != 1) return {};
  char* data = nullptr;
  auto n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string{data, static_cast<std::size_t>(n)} : std::string{};
}

}  // namespace

tls_credentials::~tls_credentials() {
  if (cred_) gnutls_certificate_free_credentials(cred_);
}

result<std::shared_ptr<tls_credentials>> tls_credentials::from_files(const std::string& cert_file,
                                                                     const std::string& key_file) {
  std::shared_ptr<tls_credentials> c{new tls_credentials};
  if (gnutls_certificate_allocate_credentials(&c->cred_) != 0)
    return failure("QUIC: cannot allocate GnuTLS credentials");
  int rv = gnutls_certificate_set_x509_key_file(c->cred_, cert_file.c_str(), key_file.c_str(),
                                                GNUTLS_X509_FMT_PEM);
  if (rv < 0)
    return failure("QUIC: cannot load certificate " + cert_file + " and key " + key_file + ": " +
                   gnutls_strerror(rv));
  return c;
}

result<std::shared_ptr<tls_credentials>> tls_credentials::from_context(asio::ssl::context& ctx) {
  auto* ssl = ctx.native_handle();
  X509* cert = SSL_CTX_get0_certificate(ssl);
  EVP_PKEY* key = SSL_CTX_get0_privatekey(ssl);
  if (!cert || !key) return failure("QUIC: the TLS context has no certificate and key");
  auto cert_pem =
      pem_of([](BIO* b, void* x) { return PEM_write_bio_X509(b, static_cast<X509*>(x)); }, cert);
  auto key_pem = pem_of(
      [](BIO* b, void* k) {
        return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr,
                                        nullptr);
      },
      key);
  if (cert_pem.empty() || key_pem.empty()) return failure("QUIC: cannot export the certificate");
  std::shared_ptr<tls_credentials> c{new tls_credentials};
  if (gnutls_certificate_allocate_credentials(&c->cred_) != 0)
    return failure("QUIC: cannot allocate GnuTLS credentials");
  gnutls_datum_t cd{reinterpret_cast<unsigned char*>(cert_pem.data()),
                    static_cast<unsigned>(cert_pem.size())};
  gnutls_datum_t kd{reinterpret_cast<unsigned char*>(key_pem.data()),
                    static_cast<unsigned>(key_pem.size())};
  int rv = gnutls_certificate_set_x509_key_mem(c->cred_, &cd, &kd, GNUTLS_X509_FMT_PEM);
  OPENSSL_cleanse(key_pem.data(), key_pem.size());
  if (rv < 0)
    return failure(std::string{"QUIC: GnuTLS rejects the certificate: "} + gnutls_strerror(rv));
  return c;
}

gnutls_session_t tls_credentials::new_session(void* conn_ref) const {
  gnutls_session_t s = nullptr;
  if (gnutls_init(&s, GNUTLS_SERVER | GNUTLS_NO_END_OF_EARLY_DATA) != 0) return nullptr;
  static const unsigned char h3[] = "h3";
  gnutls_datum_t alpn{const_cast<unsigned char*>(h3), 2};
  if (gnutls_priority_set_direct(s, priorities, nullptr) != 0 ||
      ngtcp2_crypto_gnutls_configure_server_session(s) != 0 ||
      gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred_) != 0 ||
      gnutls_alpn_set_protocols(s, &alpn, 1, GNUTLS_ALPN_MANDATORY) != 0) {
    gnutls_deinit(s);
    return nullptr;
  }
  gnutls_session_set_ptr(s, conn_ref);
  return s;
}

}  // namespace rodeo::quic
