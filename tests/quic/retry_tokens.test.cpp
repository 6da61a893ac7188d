// Retry tokens (RFC 9000 §8.1.2) in memory: what the QUIC listener accepts in an Initial
// that answers its Retry, with the clock moved by hand.
#include "rodeo/internal/net/quic/retry_tokens.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <cstring>
#include <string>

namespace {

using rodeo::quic::retry_tokens;

sockaddr_in v4(const char* ip, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, ip, &a.sin_addr);
  return a;
}

sockaddr_in6 v6(const char* ip, std::uint16_t port) {
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(port);
  inet_pton(AF_INET6, ip, &a.sin6_addr);
  return a;
}

ngtcp2_cid cid(std::uint8_t fill, std::size_t len = 18) {
  ngtcp2_cid c;
  c.datalen = len;
  std::memset(c.data, fill, len);
  return c;
}

bool same(const ngtcp2_cid& a, const ngtcp2_cid& b) {
  return a.datalen == b.datalen && std::memcmp(a.data, b.data, a.datalen) == 0;
}

template <class Addr>
std::optional<ngtcp2_cid> check(const retry_tokens& t, const std::string& token, const Addr& from,
                                const ngtcp2_cid& dcid, ngtcp2_tstamp now,
                                std::uint32_t version = NGTCP2_PROTO_VER_V1) {
  return t.check(reinterpret_cast<const std::uint8_t*>(token.data()), token.size(), version,
                 reinterpret_cast<const ngtcp2_sockaddr*>(&from), sizeof(from), dcid, now);
}

template <class Addr>
std::string make(const retry_tokens& t, const Addr& to, const ngtcp2_cid& retry_scid,
                 const ngtcp2_cid& odcid, ngtcp2_tstamp now) {
  return t.make(NGTCP2_PROTO_VER_V1, reinterpret_cast<const ngtcp2_sockaddr*>(&to), sizeof(to),
                retry_scid, odcid, now);
}

constexpr ngtcp2_tstamp t0 = 1000 * NGTCP2_SECONDS;

}  // namespace

TEST_CASE("retry token: the Initial answering the Retry gets the original DCID back") {
  retry_tokens tokens;
  auto client = v4("192.0.2.7", 50000);
  auto retry_scid = cid(0xAA);
  auto odcid = cid(0x11, 8);  // clients may choose 8 bytes (RFC 9000 §7.2)
  auto token = make(tokens, client, retry_scid, odcid, t0);
  REQUIRE_FALSE(token.empty());
  CHECK(retry_tokens::is_retry_token(reinterpret_cast<const std::uint8_t*>(token.data()),
                                     token.size()));
  auto got = check(tokens, token, client, retry_scid, t0 + NGTCP2_SECONDS);
  REQUIRE(got);
  CHECK(same(*got, odcid));
}

TEST_CASE("retry token: from another address it is refused") {
  retry_tokens tokens;
  auto client = v4("192.0.2.7", 50000);
  auto token = make(tokens, client, cid(0xAA), cid(0x11), t0);
  CHECK_FALSE(check(tokens, token, v4("192.0.2.7", 50001), cid(0xAA), t0));  // another port
  CHECK_FALSE(check(tokens, token, v4("192.0.2.8", 50000), cid(0xAA), t0));  // another host
  CHECK_FALSE(check(tokens, token, v6("::ffff:192.0.2.7", 50000), cid(0xAA), t0));
  CHECK(check(tokens, token, client, cid(0xAA), t0));  // the right one still passes
}

TEST_CASE("retry token: IPv6 clients too") {
  retry_tokens tokens;
  auto client = v6("2001:db8::1", 443);
  auto token = make(tokens, client, cid(0xAA), cid(0x11), t0);
  CHECK(check(tokens, token, client, cid(0xAA), t0));
  CHECK_FALSE(check(tokens, token, v6("2001:db8::2", 443), cid(0xAA), t0));
}

TEST_CASE("retry token: for another connection ID it is refused") {
  retry_tokens tokens;
  auto client = v4("192.0.2.7", 50000);
  auto token = make(tokens, client, cid(0xAA), cid(0x11), t0);
  CHECK_FALSE(check(tokens, token, client, cid(0xAB), t0));
  CHECK_FALSE(check(tokens, token, client, cid(0xAA, 17), t0));
}

TEST_CASE("retry token: it expires after its lifetime") {
  retry_tokens tokens;
  auto client = v4("192.0.2.7", 50000);
  auto token = make(tokens, client, cid(0xAA), cid(0x11), t0);
  CHECK(check(tokens, token, client, cid(0xAA), t0 + retry_tokens::lifetime - 1));
  CHECK_FALSE(check(tokens, token, client, cid(0xAA), t0 + retry_tokens::lifetime + 1));
  CHECK_FALSE(check(tokens, token, client, cid(0xAA), t0 + 60 * NGTCP2_SECONDS));
}

TEST_CASE("retry token: another listener's, or altered, or not a Retry token") {
  std::array<std::uint8_t, 32> a{}, b{};
  b[0] = 1;
  retry_tokens mine{a}, theirs{b}, mine_again{a};
  auto client = v4("192.0.2.7", 50000);
  auto token = make(mine, client, cid(0xAA), cid(0x11), t0);
  CHECK_FALSE(check(theirs, token, client, cid(0xAA), t0));
  CHECK(check(mine_again, token, client, cid(0xAA), t0));  // same secret: a restart keeping it
  for (std::size_t i = 1; i < token.size(); i += 7) {
    auto bad = token;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    CHECK_FALSE(check(mine, bad, client, cid(0xAA), t0));
  }
  CHECK_FALSE(check(mine, token.substr(0, token.size() - 1), client, cid(0xAA), t0));
  CHECK_FALSE(check(mine, std::string{}, client, cid(0xAA), t0));
  auto regular = token;
  regular[0] = static_cast<char>(NGTCP2_CRYPTO_TOKEN_MAGIC_REGULAR);
  CHECK_FALSE(retry_tokens::is_retry_token(reinterpret_cast<const std::uint8_t*>(regular.data()),
                                           regular.size()));
  CHECK_FALSE(check(mine, regular, client, cid(0xAA), t0));
}
