// rodeo_clock: loop handlers at work. A server-sent events clock at /clock and a long-polling
// chat room at /chat/wait + /chat/say, whose room is an actor spawned before the listener
// starts (hence the actor system and the signal wait here, where rodeo::serve would hide them).
#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include <chrono>
#include <cstdio>

#include "chat.hpp"
#include "clock_h.hpp"
#include "options.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/router/compile.hpp"
#include "server_flags.hpp"

int main(int argc, char** argv) {
  auto opts = clock_app::parse_options({argv + 1, argv + argc});
  if (!opts) {
    std::fprintf(stderr, "rodeo_clock: %s\n", opts.error().c_str());
    return 2;
  }
  if (opts->help) {
    std::fputs(clock_app::usage().c_str(), stdout);
    return 0;
  }

  rodeo::stop_signals signals;  // before the actor system starts its threads

  auto sys = rodeo::make_actor_system();
  auto room = clock_app::spawn_chat_room(*sys);
  auto open = std::make_shared<std::atomic<int>>(0);
  auto routes = rodeo::router::compile({
      {"_",
       {
           {"/clock", rodeo::handler<clock_app::clock_h>(open)},
           {"/clock/clients", rodeo::handler<clock_app::clients_h>(open)},
           {"/chat/wait", rodeo::handler<clock_app::wait_h>(room)},
           {"/chat/say", rodeo::handler<clock_app::say_h>(room)},
       }},
  });
  if (!routes) {
    std::fprintf(stderr, "rodeo_clock: invalid routes: %s\n", routes.error().c_str());
    return 2;
  }
  auto listen = opts->listen;
  listen.chain = rodeo::mw::default_chain(*routes);
  const std::string bind = listen.bind;
  {
    auto l = rodeo::listener::start(*sys, std::move(listen));
    if (!l) {
      std::fprintf(stderr, "rodeo_clock: %s\n", l.error().c_str());
      caf::anon_send_exit(room, caf::exit_reason::user_shutdown);
      return 2;
    }
    apps::print_listening("rodeo_clock", bind, **l);
    signals.wait();
    // Open clocks never end on their own and long polls may wait 30 s: waiting the default
    // 5 s for them would only delay the stop, so a short deadline closes them.
    (*l)->stop(std::chrono::seconds(1));
  }
  caf::anon_send_exit(room, caf::exit_reason::user_shutdown);
  return 0;
}
