#pragma once
/// \file
/// Routes of the live test server for WebSocket handlers: /ws/echo (echo, deflate offered,
/// subprotocols "chat" and "superchat"), /ws/small (8-byte frames, 16-byte messages),
/// /ws/idle (100 ms idle timeout), /ws/close (closes with the code a text message names),
/// /ws/refuse (init replies 403 without upgrading), /ws/crash (throws on a message).

#include <vector>

#include "rodeo/router/compile.hpp"

namespace live {

std::vector<rodeo::router::path_rule> websocket_routes();

}  // namespace live
