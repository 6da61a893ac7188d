#pragma once
/// \file
/// The TLS side of a listener: an OpenSSL 3 server context with ALPN (h2, then http/1.1),
/// TLS 1.2 as the floor and RFC 9113 §9.2.2's cipher constraints for TLS 1.2.

#include <asio/ssl/context.hpp>

#include <memory>
#include <string>
#include <vector>

#include "rodeo/internal/net/tls/served_names.hpp"
#include "rodeo/result.hpp"

namespace rodeo::tls {

/// A server context from PEM files. The error names the file and what OpenSSL said.
result<std::shared_ptr<asio::ssl::context>> server_context(const std::string& cert_file,
                                                           const std::string& key_file);

/// A server context with a fresh self-signed ECDSA P-256 certificate for `names` (DNS names
/// or IP addresses), made in memory at start so TLS works out of the box in development.
result<std::shared_ptr<asio::ssl::context>> self_signed_context(
    const std::vector<std::string>& names);

/// The names the context's certificate covers: its subjectAltName DNS names and IP
/// addresses (the subject CN when it has neither), read once at start.
served_names certificate_names(asio::ssl::context& ctx);

/// The ALPN protocol the handshake selected ("h2", "http/1.1" or "" when none).
std::string selected_alpn(SSL* ssl);

}  // namespace rodeo::tls
