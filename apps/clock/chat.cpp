#include "chat.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <algorithm>
#include <utility>
#include <vector>

namespace clock_app {

namespace {

const rodeo::headers text = {{"content-type", "text/plain"}};

struct room_state {
  std::vector<caf::actor> waiters;
  static inline const char* name = "clock.chat_room";
};

caf::behavior chat_room(caf::stateful_actor<room_state>* self) {
  // A waiter whose client left (its request actor ended) is forgotten.
  self->set_down_handler([self](caf::down_msg& down) {
    auto& ws = self->state.waiters;
    ws.erase(std::remove_if(ws.begin(), ws.end(),
                            [&](const caf::actor& w) { return w.address() == down.source; }),
             ws.end());
  });
  return {
      [self](join_atom, caf::actor waiter) {
        self->monitor(waiter);
        self->state.waiters.push_back(std::move(waiter));
      },
      [self](say_atom, const std::string& said, const caf::actor& sayer) {
        auto waiters = std::move(self->state.waiters);
        self->state.waiters.clear();
        for (const auto& w : waiters) {
          self->demonitor(w);
          self->send(w, said_atom::value, said);
        }
        self->send(sayer, delivered_atom::value, static_cast<std::uint64_t>(waiters.size()));
      },
  };
}

}  // namespace

caf::actor spawn_chat_room(caf::actor_system& sys) { return sys.spawn(chat_room); }

rodeo::handler_result wait_h::init(rodeo::req& req) {
  if (req.method() != "GET") {
    req.reply(405, {{"allow", "GET"}});
    return rodeo::handler_result::ok;
  }
  req.self()->send(room_, join_atom::value, caf::actor_cast<caf::actor>(req.self()));
  return rodeo::handler_result::loop;
}

rodeo::handler_result wait_h::info(const caf::message& msg, rodeo::req& req) {
  if (!msg.match_elements<said_atom, std::string>()) return rodeo::handler_result::loop;
  req.reply(200, text, msg.get_as<std::string>(1));
  return rodeo::handler_result::ok;
}

rodeo::handler_result say_h::init(rodeo::req& req) {
  if (req.method() != "POST") {
    req.reply(405, {{"allow", "POST"}});
    return rodeo::handler_result::ok;
  }
  // Loop from the start: the body may still be on its way, and the room answers by message.
  // A body over the limit is answered 413 by read_body; the timeout then ends the actor.
  req.read_body(
      [room = room_](rodeo::req& r, std::string body) {
        r.self()->send(room, say_atom::value, std::move(body),
                       caf::actor_cast<caf::actor>(r.self()));
      },
      4096);
  return rodeo::handler_result::loop;
}

rodeo::handler_result say_h::info(const caf::message& msg, rodeo::req& req) {
  if (!msg.match_elements<delivered_atom, std::uint64_t>()) return rodeo::handler_result::loop;
  req.reply(200, text, "delivered to " + std::to_string(msg.get_as<std::uint64_t>(1)) + "\n");
  return rodeo::handler_result::ok;
}

}  // namespace clock_app
