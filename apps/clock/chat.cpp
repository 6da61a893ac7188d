#include "chat.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include <algorithm>
#include <utility>
#include <vector>

namespace clock_app {

namespace {

const rodeo::headers text = {{"content-type", "text/plain"}};

// A class-based actor, not a function: CAF 0.17.6 spawns a function that takes no argument
// besides `self` by dereferencing a null argument tuple, which UBSan rightly reports.
class chat_room final : public caf::event_based_actor {
 public:
  explicit chat_room(caf::actor_config& cfg) : caf::event_based_actor(cfg) {
    // A waiter whose client left (its request actor ended) is forgotten.
    set_down_handler([this](caf::down_msg& down) {
      waiters_.erase(
          std::remove_if(waiters_.begin(), waiters_.end(),
                         [&](const caf::actor& w) { return w.address() == down.source; }),
          waiters_.end());
    });
  }

  const char* name() const override { return "clock.chat_room"; }

 protected:
  caf::behavior make_behavior() override {
    return {
        [this](join_atom, caf::actor waiter) {
          monitor(waiter);
          waiters_.push_back(std::move(waiter));
        },
        [this](say_atom, const std::string& said, const caf::actor& sayer) {
          auto waiters = std::move(waiters_);
          waiters_.clear();
          for (const auto& w : waiters) {
            demonitor(w);
            send(w, said_atom::value, said);
          }
          send(sayer, delivered_atom::value, static_cast<std::uint64_t>(waiters.size()));
        },
    };
  }

 private:
  std::vector<caf::actor> waiters_;
};

}  // namespace

caf::actor spawn_chat_room(caf::actor_system& sys) { return sys.spawn<chat_room>(); }

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
