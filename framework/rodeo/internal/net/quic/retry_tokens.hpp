#pragma once
/// \file
/// Retry tokens (RFC 9000 §8.1.2): what a QUIC listener puts in a Retry packet and checks in
/// the Initial that answers it. Made and checked by ngtcp2's crypto helper
/// (ngtcp2_crypto_generate_retry_token / ngtcp2_crypto_verify_retry_token): an AEAD-sealed
/// token under a key derived from this listener's own secret, binding
///   - the client's address (IP and port): a token replayed from another address fails,
///     which is the point of address validation;
///   - the connection ID the Retry chose (the DCID of the answering Initial) and the
///     client's original DCID, which the connection must echo in its transport parameters
///     (original_destination_connection_id, retry_source_connection_id; RFC 9000 §7.3);
///   - the time it was made: it expires after `lifetime`.
/// No state per token: a flood of Initials costs the server a Retry each, nothing kept.
/// Timestamps are the caller's (nanoseconds on one steady clock), so tests can move time.

#include <ngtcp2/ngtcp2.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace rodeo::quic {

class retry_tokens {
 public:
  /// How long a token is accepted after it was made: the client answers a Retry at once,
  /// so a few round trips' worth; an older token is more likely a replay.
  static constexpr ngtcp2_duration lifetime = 5 * NGTCP2_SECONDS;

  /// Tokens sealed under a fresh random secret (one per listener).
  retry_tokens();
  /// Tokens sealed under `secret` (tests: two listeners, one secret or two).
  explicit retry_tokens(const std::array<std::uint8_t, 32>& secret) : secret_(secret) {}

  /// The token for a Retry to `client` (a sockaddr of `len` bytes) that answered an Initial
  /// to `odcid` and names `retry_scid` as its own connection ID. Empty on failure.
  std::string make(std::uint32_t version, const ngtcp2_sockaddr* client, ngtcp2_socklen len,
                   const ngtcp2_cid& retry_scid, const ngtcp2_cid& odcid, ngtcp2_tstamp now) const;

  /// Checks the token of an Initial from `client` to `dcid` (which must be the Retry's
  /// connection ID): the client's original DCID when the token is ours, for that address and
  /// that DCID, and younger than `lifetime`; nothing otherwise.
  std::optional<ngtcp2_cid> check(const std::uint8_t* token, std::size_t len, std::uint32_t version,
                                  const ngtcp2_sockaddr* client, ngtcp2_socklen addrlen,
                                  const ngtcp2_cid& dcid, ngtcp2_tstamp now) const;

  /// True when `token` looks like a Retry token (its first byte); a token from a NEW_TOKEN
  /// frame (which this server never sends) or anything else is not one.
  static bool is_retry_token(const std::uint8_t* token, std::size_t len);

 private:
  std::array<std::uint8_t, 32> secret_{};
};

}  // namespace rodeo::quic
