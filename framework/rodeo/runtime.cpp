#include "rodeo/runtime.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>

#include <csignal>
#include <cstdio>
#include <thread>

#include "rodeo/log.hpp"

namespace rodeo {

namespace {

class system_config : public caf::actor_system_config {
 public:
  explicit system_config(unsigned threads) {
    set("scheduler.policy", caf::atom("sharing"));
    set("scheduler.max-threads", static_cast<std::size_t>(threads));
  }
};

}  // namespace

std::shared_ptr<caf::actor_system> make_actor_system(unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // The config must outlive the system it configures: one allocation owns both.
  struct both {
    system_config cfg;
    caf::actor_system sys;
    explicit both(unsigned n) : cfg(n), sys(cfg) {}
  };
  auto b = std::make_shared<both>(threads);
  return std::shared_ptr<caf::actor_system>(b, &b->sys);
}

int serve(listener_options opts, std::function<void(const listener&)> ready) {
  // Block the stop signals before any thread starts, so that every thread inherits the mask
  // and only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto sys = make_actor_system();
  int code = 0;
  {
    auto l = listener::start(*sys, std::move(opts));
    if (!l) {
      std::fprintf(stderr, "rodeo: %s\n", l.error().c_str());
      return 2;
    }
    if (ready) ready(**l);
    int sig = 0;
    sigwait(&stop_signals, &sig);
    log::net()->info("signal {}: stopping gracefully", sig);
    (*l)->stop();
  }
  return code;
}

}  // namespace rodeo
