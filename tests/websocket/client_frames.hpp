#pragma once
// Test support for tests/websocket: frames as a client sends them (masked, RFC 6455 §5.3),
// and a reader for what the server sends (unmasked).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rodeo::test {

/// One client frame. `masked = false` builds the illegal unmasked frame; `length` overrides
/// the length field (a lie about the payload, e.g. 2^63).
inline std::string client_frame(std::uint8_t opcode, std::string_view payload, bool fin = true,
                                std::uint8_t rsv = 0, bool masked = true,
                                std::uint64_t length = ~0ull) {
  std::string f;
  f += static_cast<char>((fin ? 0x80 : 0) | (rsv << 4) | opcode);
  const std::uint64_t n = length == ~0ull ? payload.size() : length;
  const char mask_bit = masked ? static_cast<char>(0x80) : 0;
  if (n < 126) {
    f += static_cast<char>(mask_bit | static_cast<char>(n));
  } else if (n < 65536) {
    f += static_cast<char>(mask_bit | 126);
    f += static_cast<char>(n >> 8);
    f += static_cast<char>(n & 0xff);
  } else {
    f += static_cast<char>(mask_bit | 127);
    for (int i = 7; i >= 0; --i) f += static_cast<char>((n >> (8 * i)) & 0xff);
  }
  const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
  if (masked) f.append(reinterpret_cast<const char*>(key), 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    f += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
  return f;
}

/// A close frame's payload: the code, then the reason.
inline std::string close_payload(std::uint16_t code, std::string_view reason = {}) {
  std::string p;
  p += static_cast<char>(code >> 8);
  p += static_cast<char>(code & 0xff);
  p += reason;
  return p;
}

/// A server frame as read back.
struct server_frame {
  bool fin = true;
  std::uint8_t rsv = 0;
  std::uint8_t opcode = 0;
  std::string payload;
  /// For a close: its code (0 if none).
  std::uint16_t code() const {
    if (payload.size() < 2) return 0;
    return static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                      static_cast<unsigned char>(payload[1]));
  }
};

/// Splits `bytes` into server frames; a server frame is never masked (RFC 6455 §5.1).
inline std::vector<server_frame> server_frames(std::string_view bytes, bool* masked = nullptr) {
  std::vector<server_frame> out;
  while (bytes.size() >= 2) {
    auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
    if (masked != nullptr && (b1 & 0x80) != 0) *masked = true;
    std::uint64_t n = b1 & 0x7f;
    std::size_t at = 2;
    if (n == 126) {
      n = (static_cast<unsigned char>(bytes[2]) << 8) | static_cast<unsigned char>(bytes[3]);
      at = 4;
    } else if (n == 127) {
      n = 0;
      for (int i = 0; i < 8; ++i) n = (n << 8) | static_cast<unsigned char>(bytes[2 + i]);
      at = 10;
    }
    if (bytes.size() < at + n) break;
    out.push_back({(b0 & 0x80) != 0, static_cast<std::uint8_t>((b0 >> 4) & 7),
                   static_cast<std::uint8_t>(b0 & 0x0f), std::string{bytes.substr(at, n)}});
    bytes.remove_prefix(at + n);
  }
  return out;
}

}  // namespace rodeo::test
