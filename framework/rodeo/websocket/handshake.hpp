#pragma once
/// \file
/// The server's half of the WebSocket opening handshake: over HTTP/1.1 (RFC 6455 §4.2: a GET
/// with `upgrade: websocket`, answered 101) and over HTTP/2 (RFC 8441 §4: an extended CONNECT
/// with `:protocol websocket`, answered 200). Pure functions: websocket_handler calls them,
/// and tests check them without a socket.

#include <optional>
#include <string>
#include <string_view>

#include "rodeo/headers.hpp"
#include "rodeo/request_head.hpp"
#include "rodeo/websocket/options.hpp"

namespace rodeo::ws {

/// `sec-websocket-accept` for a client's `sec-websocket-key` (RFC 6455 §4.2.2 item 5.4):
/// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
std::string accept_key(std::string_view key);

/// permessage-deflate as agreed (RFC 7692 §7.1).
struct deflate_params {
  bool server_no_context_takeover = false;
  bool client_no_context_takeover = false;
  int server_max_window_bits = 15;
  int client_max_window_bits = 15;
};

/// The outcome of checking an upgrade request.
struct handshake {
  /// 0: upgrade. Otherwise the status to answer: 400 (malformed), 426 (another version:
  /// the answer carries `sec-websocket-version: 13`, RFC 6455 §4.4).
  int status = 0;
  /// Why the request cannot be upgraded (the body of the 400/426).
  std::string error;
  /// The success response's fields: `sec-websocket-accept` (HTTP/1.1),
  /// `sec-websocket-protocol`, `sec-websocket-extensions`; for a refusal, the 426's
  /// `sec-websocket-version`.
  headers fields;
  /// The selected subprotocol, empty if none.
  std::string protocol;
  /// permessage-deflate's parameters, when `opts.compress` and the client offered it.
  std::optional<deflate_params> deflate;
};

/// True when `head` asks for a WebSocket at all (an HTTP/1.1 `upgrade: websocket`, or an
/// HTTP/2 CONNECT with `:protocol websocket`), well-formed or not.
bool is_upgrade(const request_head& head);

/// Checks the upgrade request `head` and negotiates subprotocol and compression.
handshake check(const request_head& head, const options& opts);

}  // namespace rodeo::ws
