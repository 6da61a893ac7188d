#include "rodeo/websocket/handshake.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>

#include "rodeo/http/lex.hpp"
#include "rodeo/internal/websocket/deflate.hpp"

namespace rodeo::ws {

namespace {

using http::detail::iequals;
using http::detail::trim_ows;

// The comma-separated elements of every field named `name` (RFC 9110 §5.6.1), trimmed.
std::vector<std::string_view> list_of(const headers& fields, std::string_view name) {
  std::vector<std::string_view> items;
  for (const auto& [n, v] : fields) {
    if (n != name) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto item = trim_ows(rest.substr(0, comma));
      if (!item.empty()) items.push_back(item);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return items;
}

bool lists(const headers& fields, std::string_view name, std::string_view token) {
  for (auto item : list_of(fields, name))
    if (iequals(item, token)) return true;
  return false;
}

std::string base64(const unsigned char* data, std::size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  int len =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<std::size_t>(len));
  return out;
}

// RFC 6455 §4.1: the key is 16 random bytes, base64: 22 characters and "==".
bool valid_key(std::string_view key) {
  if (key.size() != 24 || key.substr(22) != "==") return false;
  std::array<unsigned char, 27> raw{};
  int n = EVP_DecodeBlock(raw.data(), reinterpret_cast<const unsigned char*>(key.data()), 24);
  return n == 18;  // EVP_DecodeBlock counts the padding as zero bytes: 16 + 2
}

handshake refuse(int status, std::string why) {
  handshake h;
  h.status = status;
  h.error = std::move(why);
  return h;
}

}  // namespace

std::string accept_key(std::string_view key) {
  static constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::string input{key};
  input += guid;
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  return base64(digest.data(), digest.size());
}

bool is_upgrade(const request_head& head) {
  if (head.version == "HTTP/2") return head.method == "CONNECT" && head.protocol == "websocket";
  return lists(head.fields, "upgrade", "websocket");
}

handshake check(const request_head& head, const options& opts) {
  const bool h2 = head.version == "HTTP/2";
  if (h2) {
    // RFC 8441 §4-5: an extended CONNECT; no upgrade, connection or key fields.
    if (head.method != "CONNECT" || head.protocol != "websocket")
      return refuse(400, "a WebSocket over HTTP/2 is an extended CONNECT with :protocol websocket");
  } else {
    // RFC 6455 §4.2.1 items 1-4.
    if (head.method != "GET") return refuse(400, "a WebSocket upgrade is a GET");
    if (head.version != "HTTP/1.1") return refuse(400, "a WebSocket upgrade needs HTTP/1.1");
    if (!lists(head.fields, "upgrade", "websocket"))
      return refuse(400, "the request lacks 'upgrade: websocket'");
    if (!lists(head.fields, "connection", "upgrade"))
      return refuse(400, "the request lacks 'connection: upgrade'");
  }
  // RFC 6455 §4.2.2 item 4 / §4.4: an unknown version is answered 426 with the one we speak.
  auto version = find_header(head.fields, "sec-websocket-version");
  if (!version || trim_ows(*version) != "13") {
    auto h = refuse(426, "this server speaks WebSocket version 13");
    h.fields.emplace_back("sec-websocket-version", "13");
    return h;
  }
  handshake h;
  if (!h2) {
    auto key = find_header(head.fields, "sec-websocket-key");
    if (!key || !valid_key(trim_ows(*key)))
      return refuse(400, "sec-websocket-key must be 16 bytes in base64");
    h.fields.emplace_back("sec-websocket-accept", accept_key(trim_ows(*key)));
  }
  // RFC 6455 §4.2.2 item 5.4: the server's preference among the client's subprotocols.
  auto offered = list_of(head.fields, "sec-websocket-protocol");
  for (const auto& mine : opts.protocols) {
    bool found = false;
    for (auto p : offered) found = found || p == mine;
    if (found) {
      h.protocol = mine;
      h.fields.emplace_back("sec-websocket-protocol", mine);
      break;
    }
  }
  if (opts.compress) {
    for (auto offer : list_of(head.fields, "sec-websocket-extensions")) {
      if (auto agreed = negotiate_deflate(offer)) {
        h.deflate = agreed->params;
        h.fields.emplace_back("sec-websocket-extensions", agreed->response);
        break;
      }
    }
  }
  return h;
}

}  // namespace rodeo::ws
