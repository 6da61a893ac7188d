#include "chat_h.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "rodeo/req.hpp"

namespace demo {

namespace {

using join_atom = caf::atom_constant<caf::atom("join")>;
using leave_atom = caf::atom_constant<caf::atom("leave")>;
using say_atom = caf::atom_constant<caf::atom("say")>;

struct room_state {
  std::string topic;
  std::vector<caf::actor> members;
  static inline const char* name = "demo.chat_room";
};

// `topic` also keeps the spawn off CAF 0.17's argument-less path, whose init_fun_factory
// dereferences a null std::shared_ptr<std::tuple<>> (UBSan: reference binding to null).
caf::behavior room_actor(caf::stateful_actor<room_state>* self, std::string topic) {
  self->state.topic = std::move(topic);
  // A member whose actor ended without leaving (its connection broke) is forgotten too.
  self->set_down_handler([self](caf::down_msg& m) {
    std::erase_if(self->state.members,
                  [&](const caf::actor& a) { return a.address() == m.source; });
  });
  return {
      [self](join_atom, caf::actor who) {
        self->monitor(who);
        self->state.members.push_back(std::move(who));
      },
      [self](leave_atom, const caf::actor& who) { std::erase(self->state.members, who); },
      [self](say_atom, const std::string& text) {
        for (const auto& m : self->state.members) self->send(m, say_atom::value, text);
      },
  };
}

constexpr std::string_view page = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rodeo chat</title>
<style>body{font:16px system-ui;margin:2em;max-width:40em}#log{border:1px solid #ccc;height:20em;
overflow:auto;padding:.5em}input{width:80%}</style></head>
<body><h1>Rodeo chat</h1><p>A WebSocket to <code>/ws/chat</code>; the room is a CAF actor.</p>
<div id="log"></div><form id="f"><input id="m" autocomplete="off" maxlength="500">
<button>Send</button></form>
<script>
const log = document.getElementById('log');
const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/chat');
function line(t) { const p = document.createElement('div'); p.textContent = t; log.append(p); log.scrollTop = log.scrollHeight; }
ws.onopen = () => line('(connected)');
ws.onmessage = e => line(e.data);
ws.onclose = e => line('(closed ' + e.code + ')');
document.getElementById('f').onsubmit = e => { e.preventDefault(); const m = document.getElementById('m');
  if (m.value) ws.send(m.value); m.value = ''; };
</script></body></html>
)";

}  // namespace

class chat_room {
 public:
  // The first member spawns the room in its actor system; the members hold it (strong
  // handles), this only finds it (weak): once the last member is gone, CAF ends the room as
  // unreachable, so a graceful stop never waits for it and no handle outlives the actor
  // system. A mutex, because members on different CAF worker threads may arrive at once.
  caf::actor get(caf::actor_system& sys) {
    std::lock_guard lock{mutex_};
    if (auto live = room_.lock()) return caf::actor_cast<caf::actor>(live);
    auto room = sys.spawn(room_actor, std::string{"chat"});
    room_ = caf::actor_cast<caf::weak_actor_ptr>(room);
    return room;
  }

 private:
  std::mutex mutex_;
  caf::weak_actor_ptr room_;
};

std::shared_ptr<chat_room> make_chat_room() { return std::make_shared<chat_room>(); }

rodeo::handler_result echo_ws_h::init(rodeo::req& r) { return upgrade(r, {.compress = true}); }

rodeo::ws::commands echo_ws_h::websocket_handle(const rodeo::ws::frame& f) {
  if (f.type == rodeo::ws::opcode::text || f.type == rodeo::ws::opcode::binary) return {f};
  return {};
}

rodeo::handler_result chat_ws_h::init(rodeo::req& r) {
  return upgrade(
      r, {.max_message_size = 4096, .idle_timeout = std::chrono::minutes(10), .compress = true});
}

rodeo::ws::commands chat_ws_h::websocket_init() {
  room_actor_ = room_->get(self()->home_system());
  self()->send(room_actor_, join_atom::value, caf::actor_cast<caf::actor>(self()));
  self()->send(room_actor_, say_atom::value, std::string{"(someone joined)"});
  return {};
}

rodeo::ws::commands chat_ws_h::websocket_handle(const rodeo::ws::frame& f) {
  if (f.type == rodeo::ws::opcode::text) self()->send(room_actor_, say_atom::value, f.payload);
  return {};
}

rodeo::ws::commands chat_ws_h::websocket_info(const caf::message& msg) {
  if (msg.match_elements<say_atom, std::string>())
    return {rodeo::ws::text(msg.get_as<std::string>(1))};
  return {};
}

void chat_ws_h::terminate(const rodeo::ws::end&) {
  if (room_actor_)
    self()->send(room_actor_, leave_atom::value, caf::actor_cast<caf::actor>(self()));
  room_actor_ = nullptr;  // the room may end once no member holds it
}

rodeo::handler_result chat_page_h::init(rodeo::req& r) {
  r.reply(200, {{"content-type", "text/html; charset=utf-8"}}, std::string{page});
  return rodeo::handler_result::ok;
}

}  // namespace demo
