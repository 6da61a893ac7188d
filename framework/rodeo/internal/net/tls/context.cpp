#include "rodeo/internal/net/tls/context.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

namespace rodeo::tls {

namespace {

// Our ALPN preference in wire format; the server's order wins (RFC 7301 §3.2).
constexpr unsigned char alpn_protos[] = "\x02h2\x08http/1.1";

int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned inlen, void*) {
  if (SSL_select_next_proto(const_cast<unsigned char**>(out), outlen, alpn_protos,
                            sizeof(alpn_protos) - 1, in, inlen) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;  // no overlap: go on without ALPN (HTTP/1.1)
  return SSL_TLSEXT_ERR_OK;
}

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

std::shared_ptr<asio::ssl::context> base_context() {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);  // RFC 9113 §9.2
  // RFC 9113 §9.2.2: for TLS 1.2 only AEAD suites with ephemeral key exchange.
  SSL_CTX_set_cipher_list(native, "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20");
  SSL_CTX_set_options(
      native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  // TLS 1.3 (RFC 8446 §4.6.1): one session ticket per connection, not OpenSSL's two; a
  // client resumes the next connection with it, and each ticket costs the handshake an
  // encryption and a record.
  SSL_CTX_set_num_tickets(native, 1);
  SSL_CTX_set_alpn_select_cb(native, select_alpn, nullptr);
  return ctx;
}

struct evp_pkey_free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct x509_free {
  void operator()(X509* p) const { X509_free(p); }
};

}  // namespace

result<std::shared_ptr<asio::ssl::context>> server_context(const std::string& cert_file,
                                                           const std::string& key_file) {
  auto ctx = base_context();
  SSL_CTX* native = ctx->native_handle();
  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1)
    return failure("cannot use certificate '" + cert_file + "': " + openssl_error());
  if (SSL_CTX_use_PrivateKey_file(native, key_file.c_str(), SSL_FILETYPE_PEM) != 1)
    return failure("cannot use private key '" + key_file + "': " + openssl_error());
  if (SSL_CTX_check_private_key(native) != 1)
    return failure("private key '" + key_file + "' does not match certificate '" + cert_file + "'");
  return ctx;
}

result<std::shared_ptr<asio::ssl::context>> self_signed_context(
    const std::vector<std::string>& names) {
  std::unique_ptr<EVP_PKEY, evp_pkey_free> key{EVP_EC_gen("P-256")};
  if (!key) return failure("cannot make a key for the self-signed certificate: " + openssl_error());
  std::unique_ptr<X509, x509_free> cert{X509_new()};
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(cert.get());
  const std::string cn = names.empty() ? "localhost" : names.front();
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), subject);
  std::string san;
  for (const auto& n : names) {
    unsigned char buf[16];
    bool ip = inet_pton(AF_INET, n.c_str(), buf) == 1 || inet_pton(AF_INET6, n.c_str(), buf) == 1;
    san += (san.empty() ? "" : ",") + std::string{ip ? "IP:" : "DNS:"} + n;
  }
  if (!san.empty()) {
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
    if (X509_EXTENSION* ext =
            X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, san.c_str())) {
      X509_add_ext(cert.get(), ext, -1);
      X509_EXTENSION_free(ext);
    }
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    return failure("cannot sign the self-signed certificate: " + openssl_error());

  auto ctx = base_context();
  if (SSL_CTX_use_certificate(ctx->native_handle(), cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx->native_handle(), key.get()) != 1)
    return failure("cannot use the self-signed certificate: " + openssl_error());
  return ctx;
}

served_names certificate_names(asio::ssl::context& ctx) {
  std::vector<std::string> dns, ips;
  X509* cert = SSL_CTX_get0_certificate(ctx.native_handle());
  if (!cert) return served_names{{}, {}};
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(sans, i);
    if (n->type == GEN_DNS)
      dns.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)),
                       static_cast<std::size_t>(ASN1_STRING_length(n->d.dNSName)));
    else if (n->type == GEN_IPADD)
      ips.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.iPAddress)),
                       static_cast<std::size_t>(ASN1_STRING_length(n->d.iPAddress)));
  }
  if (sans) GENERAL_NAMES_free(sans);
  // RFC 6125 §6.4.4: the subject's CN only counts when there is no DNS name in the SANs.
  if (dns.empty() && ips.empty()) {
    char cn[256] = {};
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn) > 0)
      dns.emplace_back(cn);
  }
  return served_names{std::move(dns), std::move(ips)};
}

std::string selected_alpn(SSL* ssl) {
  const unsigned char* p = nullptr;
  unsigned len = 0;
  SSL_get0_alpn_selected(ssl, &p, &len);
  return p ? std::string(reinterpret_cast<const char*>(p), len) : std::string{};
}

}  // namespace rodeo::tls
