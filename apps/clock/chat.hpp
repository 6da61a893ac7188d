#pragma once
/// \file
/// A long-polling chat room. The room is an actor spawned at start; request actors talk to it
/// by message, so no handler shares memory with another:
///
///     GET /chat/wait   wait_h (loop): sends the room (join, its own actor), then waits for
///                      (said, text) and replies with the text; 204 after 30 s of silence.
///     POST /chat/say   say_h (loop): reads the body, sends the room (say, text, its actor),
///                      waits for (delivered, n) and replies "delivered to n".
///
/// The room forwards each text to every waiter that joined since the last one and forgets
/// them; a waiter whose client leaves is dropped when its actor goes down.

#include <caf/actor.hpp>
#include <caf/atom.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include "rodeo/loop_handler.hpp"

namespace clock_app {

using join_atom = caf::atom_constant<caf::atom("join")>;
using say_atom = caf::atom_constant<caf::atom("say")>;
using said_atom = caf::atom_constant<caf::atom("said")>;
using delivered_atom = caf::atom_constant<caf::atom("delivered")>;

/// Spawns the room on `sys`.
caf::actor spawn_chat_room(caf::actor_system& sys);

/// GET /chat/wait: the next message said in the room.
class wait_h final : public rodeo::handler_base {
 public:
  explicit wait_h(caf::actor room) : room_(std::move(room)) {}
  rodeo::handler_result init(rodeo::req& req) override;
  rodeo::handler_result info(const caf::message& msg, rodeo::req& req) override;
  /// A long poll ends after this much silence (the default timeout replies 204: poll again).
  std::chrono::milliseconds loop_timeout() const override { return std::chrono::seconds(30); }

 private:
  caf::actor room_;
};

/// POST /chat/say: the body, at most 4 KiB, to everyone waiting.
class say_h final : public rodeo::handler_base {
 public:
  explicit say_h(caf::actor room) : room_(std::move(room)) {}
  rodeo::handler_result init(rodeo::req& req) override;
  rodeo::handler_result info(const caf::message& msg, rodeo::req& req) override;
  /// The room answers at once; this bounds a request whose body never comes (or was refused).
  std::chrono::milliseconds loop_timeout() const override { return std::chrono::seconds(10); }

 private:
  caf::actor room_;
};

}  // namespace clock_app
