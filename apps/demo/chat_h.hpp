#pragma once
/// \file
/// The demo's WebSockets: `/ws/echo` sends every message back; `/ws/chat` joins a chat room,
/// a CAF actor that fans each text message out to every member's request actor (members on
/// HTTP/1.1 and on HTTP/2, RFC 8441, share it); `/chat` is a page that talks to it.

#include <caf/actor.hpp>

#include <memory>

#include "rodeo/handler.hpp"
#include "rodeo/websocket/websocket_handler.hpp"

namespace demo {

/// The room: spawned by the first member, shared by the routes' handlers.
class chat_room;

class echo_ws_h final : public rodeo::websocket_handler {
 public:
  rodeo::handler_result init(rodeo::req& r) override;
  rodeo::ws::commands websocket_handle(const rodeo::ws::frame& f) override;
};

class chat_ws_h final : public rodeo::websocket_handler {
 public:
  explicit chat_ws_h(std::shared_ptr<chat_room> room) : room_(std::move(room)) {}
  rodeo::handler_result init(rodeo::req& r) override;
  rodeo::ws::commands websocket_init() override;
  rodeo::ws::commands websocket_handle(const rodeo::ws::frame& f) override;
  rodeo::ws::commands websocket_info(const caf::message& msg) override;
  void terminate(const rodeo::ws::end& why) override;

 private:
  std::shared_ptr<chat_room> room_;
  caf::actor room_actor_;  // held while a member: the room lives while it has members
};

/// `GET /chat`: the page.
class chat_page_h final : public rodeo::handler_base {
 public:
  rodeo::handler_result init(rodeo::req& r) override;
};

std::shared_ptr<chat_room> make_chat_room();

}  // namespace demo
