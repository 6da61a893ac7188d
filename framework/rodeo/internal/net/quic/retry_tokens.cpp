#include "rodeo/internal/net/quic/retry_tokens.hpp"

#include <gnutls/crypto.h>
#include <ngtcp2/ngtcp2_crypto.h>

namespace rodeo::quic {

retry_tokens::retry_tokens() { gnutls_rnd(GNUTLS_RND_KEY, secret_.data(), secret_.size()); }

std::string retry_tokens::make(std::uint32_t version, const ngtcp2_sockaddr* client,
                               ngtcp2_socklen len, const ngtcp2_cid& retry_scid,
                               const ngtcp2_cid& odcid, ngtcp2_tstamp now) const {
  std::array<std::uint8_t, NGTCP2_CRYPTO_MAX_RETRY_TOKENLEN> buf{};
  auto n = ngtcp2_crypto_generate_retry_token(buf.data(), secret_.data(), secret_.size(), version,
                                              client, len, &retry_scid, &odcid, now);
  if (n <= 0) return {};
  return {reinterpret_cast<const char*>(buf.data()), static_cast<std::size_t>(n)};
}

std::optional<ngtcp2_cid> retry_tokens::check(const std::uint8_t* token, std::size_t len,
                                              std::uint32_t version, const ngtcp2_sockaddr* client,
                                              ngtcp2_socklen addrlen, const ngtcp2_cid& dcid,
                                              ngtcp2_tstamp now) const {
  if (!is_retry_token(token, len)) return std::nullopt;
  ngtcp2_cid odcid;
  if (ngtcp2_crypto_verify_retry_token(&odcid, token, len, secret_.data(), secret_.size(), version,
                                       client, addrlen, &dcid, lifetime, now) != 0)
    return std::nullopt;
  return odcid;
}

bool retry_tokens::is_retry_token(const std::uint8_t* token, std::size_t len) {
  return len > 0 && token[0] == NGTCP2_CRYPTO_TOKEN_MAGIC_RETRY;
}

}  // namespace rodeo::quic
