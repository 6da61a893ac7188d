#include "websocket_handlers.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

#include "rodeo/req.hpp"
#include "rodeo/websocket/websocket_handler.hpp"

namespace live {

namespace {

using rodeo::ws::opcode;

// Echoes text and binary messages; "close:CODE" closes with CODE and reason "bye".
struct echo_h final : rodeo::websocket_handler {
  explicit echo_h(rodeo::ws::options o) : opts(std::move(o)) {}
  rodeo::handler_result init(rodeo::req& r) override { return upgrade(r, opts); }
  rodeo::ws::commands websocket_handle(const rodeo::ws::frame& f) override {
    if (f.type == opcode::text && f.payload.starts_with("close:")) {
      std::uint16_t code = 1000;
      std::string_view v = std::string_view{f.payload}.substr(6);
      std::from_chars(v.data(), v.data() + v.size(), code);
      return {rodeo::ws::close{code, "bye"}};
    }
    if (f.type == opcode::text && f.payload == "protocol")
      return {rodeo::ws::text("protocol=" + protocol())};
    if (f.type == opcode::text && f.payload == "compressed")
      return {rodeo::ws::text(compressed() ? "yes" : "no")};
    if (f.type == opcode::text && f.payload == "crash") throw std::runtime_error("asked to crash");
    if (f.type == opcode::text || f.type == opcode::binary) return {f};
    return {};
  }
  rodeo::ws::options opts;
};

struct refuse_h final : rodeo::websocket_handler {
  rodeo::handler_result init(rodeo::req& r) override {
    r.reply(403, {{"content-type", "text/plain"}}, "no\n");
    return rodeo::handler_result::ok;
  }
};

}  // namespace

std::vector<rodeo::router::path_rule> websocket_routes() {
  std::vector<rodeo::router::path_rule> paths;
  paths.emplace_back("/ws/echo", rodeo::handler<echo_h>(rodeo::ws::options{
                                     .compress = true, .protocols = {"superchat", "chat"}}));
  paths.emplace_back("/ws/small", rodeo::handler<echo_h>(rodeo::ws::options{
                                      .max_frame_size = 8, .max_message_size = 16}));
  paths.emplace_back("/ws/deflate-small", rodeo::handler<echo_h>(rodeo::ws::options{
                                              .max_message_size = 1000, .compress = true}));
  paths.emplace_back(
      "/ws/idle",
      rodeo::handler<echo_h>(rodeo::ws::options{.idle_timeout = std::chrono::milliseconds(100)}));
  paths.emplace_back(
      "/ws/close-wait",
      rodeo::handler<echo_h>(rodeo::ws::options{.close_timeout = std::chrono::milliseconds(200)}));
  paths.emplace_back("/ws/refuse", rodeo::handler<refuse_h>());
  return paths;
}

}  // namespace live
