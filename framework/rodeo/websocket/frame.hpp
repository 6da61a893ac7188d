#pragma once
/// \file
/// What a WebSocket handler receives and sends (RFC 6455 §5): whole messages, never
/// fragments, and the commands its callbacks return (Cowboy's `{reply, Frames, State}` and
/// `stop`, as data).
///
///     return {rodeo::ws::text("hello"), rodeo::ws::close{1000, "bye"}};

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace rodeo::ws {

/// The kind of a data or control message (RFC 6455 §5.2 opcodes).
enum class opcode : std::uint8_t {
  text = 0x1,    ///< UTF-8, validated on receipt (invalid: close 1007)
  binary = 0x2,  ///< bytes
  ping = 0x9,    ///< answered with a pong by Rodeo before the handler sees it
  pong = 0xa,    ///< an answer to a ping, or a heartbeat
};

/// One message: a reassembled data message, or a control frame.
struct frame {
  opcode type = opcode::text;
  std::string payload;
};

inline frame text(std::string payload) { return {opcode::text, std::move(payload)}; }
inline frame binary(std::string payload) { return {opcode::binary, std::move(payload)}; }
inline frame ping(std::string payload = {}) { return {opcode::ping, std::move(payload)}; }
inline frame pong(std::string payload = {}) { return {opcode::pong, std::move(payload)}; }

/// Close codes (RFC 6455 §7.4.1) a handler or Rodeo uses.
namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;        ///< the server stops
inline constexpr std::uint16_t protocol_error = 1002;    ///< a frame broke RFC 6455
inline constexpr std::uint16_t unsupported_data = 1003;  ///< a message the endpoint cannot take
inline constexpr std::uint16_t no_status = 1005;         ///< the peer's close had no code
inline constexpr std::uint16_t abnormal = 1006;          ///< the connection ended without a close
inline constexpr std::uint16_t invalid_payload = 1007;   ///< text that is not UTF-8
inline constexpr std::uint16_t policy_violation = 1008;
inline constexpr std::uint16_t message_too_big = 1009;  ///< above max_frame_size/max_message_size
inline constexpr std::uint16_t internal_error = 1011;   ///< the handler threw
}  // namespace close_code

/// Starts the close handshake (RFC 6455 §7.1.2): nothing is sent after it; the handler's
/// `terminate` runs once the client answered (or `close_timeout` passed). `reason`: at most
/// 123 bytes of UTF-8.
struct close {
  std::uint16_t code = close_code::normal;
  std::string reason;
};

/// One thing a callback asks for: send a message, or close.
using command = std::variant<frame, close>;
/// What a callback returns, sent in order. Empty: nothing to send.
using commands = std::vector<command>;

}  // namespace rodeo::ws
