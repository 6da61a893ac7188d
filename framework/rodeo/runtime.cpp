#include "rodeo/runtime.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>

#include <csignal>
#include <cstdio>
#include <thread>

#include "rodeo/internal/actor/actor_scheduler.hpp"
#include "rodeo/log.hpp"

namespace rodeo {

namespace {

class system_config : public caf::actor_system_config {
 public:
  explicit system_config(unsigned threads) {
    set("scheduler.policy", caf::atom("sharing"));
    set("scheduler.max-threads", static_cast<std::size_t>(threads));
    load<actor_scheduler>();  // work sharing, without a clock wake per ended actor
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

stop_signals::stop_signals() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

int stop_signals::wait() {
  int sig = 0;
  sigwait(&set_, &sig);
  log::net()->info("signal {}: stopping gracefully", sig);
  return sig;
}

int serve(listener_options opts, std::function<void(const listener&)> ready) {
  stop_signals signals;  // before the actor system starts its threads
  auto sys = make_actor_system();
  int code = 0;
  {
    const auto stop_timeout = opts.stop_timeout;
    auto l = listener::start(*sys, std::move(opts));
    if (!l) {
      std::fprintf(stderr, "rodeo: %s\n", l.error().c_str());
      return 2;
    }
    if (ready) ready(**l);
    signals.wait();
    (*l)->stop(stop_timeout);
  }
  return code;
}

}  // namespace rodeo
