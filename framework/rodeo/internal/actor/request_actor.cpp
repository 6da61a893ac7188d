#include "rodeo/internal/actor/request_actor.hpp"

#include <caf/actor_system.hpp>
#include <caf/after.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <atomic>
#include <deque>
#include <exception>
#include <utility>

#include "rodeo/bad_request.hpp"
#include "rodeo/client_error.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/internal/actor/io_unit.hpp"
#include "rodeo/internal/actor/req_access.hpp"
#include "rodeo/internal/actor/stream_link.hpp"
#include "rodeo/log.hpp"
#include "rodeo/req.hpp"

namespace rodeo {

namespace {

struct request_state {
  // Where the actor runs (io_unit.hpp): set at spawn on the io thread, cleared there when it
  // moves to CAF's workers; read by io units of other threads that wake it.
  std::atomic<io_unit*> home{nullptr};
  std::unique_ptr<req> r;
  env e;
  // The handler middleware to run again once on CAF's workers (hop_to_workers), or null.
  const middleware* hop = nullptr;
  // Keeps `hop`'s chain alive until the hop ran: a listener stopping meanwhile drops its own.
  std::shared_ptr<const middleware_chain> hop_chain;
  bool ended = false;
  // Messages for a loop handler held while stream_body waits for the connection to drain.
  std::deque<caf::message> held;
  static inline const char* name = "rodeo.request";
};

using self_ptr = caf::stateful_actor<request_state>*;

// Runs terminate once and quits.
void end(self_ptr self, terminate_reason why) {
  auto& st = self->state;
  if (st.ended) return;
  st.ended = true;
  if (auto h = req_access::handler(*st.r)) {
    try {
      h->terminate(why, *st.r);
    } catch (const std::exception& e) {
      log::app()->error("stream {} handler terminate threw: {}", st.r->stream(), e.what());
    }
  }
  req_access::link(*st.r).flush();
  self->quit();
}

// Runs user code; a throw becomes a 500 or a reset, never a lost connection.
template <class F>
bool guarded(self_ptr self, F&& f) {
  auto& st = self->state;
  try {
    f();
    // The end of a turn: pushes the client could not take go out as one 103 (RFC 8297),
    // before anything the handler does next.
    req_access::flush_hints(*st.r);
    req_access::link(*st.r).flush();  // the turn's pushes, if no command took them along
    return true;
  } catch (const bad_request& e) {
    // The client's fault, not the handler's (Cowboy's request_error): 400 (or a
    // client_error's own 4xx) with the reason.
    if (!st.r->replied()) {
      const auto* ce = dynamic_cast<const client_error*>(&e);
      const int status = ce ? ce->status() : 400;
      log::app()->debug("{} {} stream {} bad request ({}): {}", st.r->method(), st.r->path(),
                        st.r->stream(), status, e.what());
      st.r->reply_error(status, {}, std::string{e.what()} + "\n");
      end(self, terminate_reason::crash);
      return false;
    }
    log::app()->error("{} {} stream {} bad request after the response started: {}", st.r->method(),
                      st.r->path(), st.r->stream(), e.what());
  } catch (const std::exception& e) {
    log::app()->error("{} {} stream {} handler crashed: {}", st.r->method(), st.r->path(),
                      st.r->stream(), e.what());
  } catch (...) {
    log::app()->error("{} {} stream {} handler crashed with a non-standard exception",
                      st.r->method(), st.r->path(), st.r->stream());
  }
  req_access::send_crash(*st.r);
  end(self, terminate_reason::crash);
  return false;
}

// After user code ran: finish when nothing is pending any more. Returns true if ended.
bool settle(self_ptr self) {
  auto& st = self->state;
  if (st.ended) return true;
  if (req_access::looping(*st.r) || req_access::waiting(*st.r)) return false;
  req_access::finish_default(*st.r);
  end(self, terminate_reason::normal);
  return true;
}

// A message for a loop handler: to `info`, or held while its stream's output is full.
void deliver_info(self_ptr self, caf::message msg) {
  auto& s = self->state;
  auto* h = req_access::handler(*s.r);
  if (s.ended || !h || !req_access::looping(*s.r)) return;
  if (req_access::blocked(*s.r)) {
    s.held.push_back(std::move(msg));
    return;
  }
  guarded(self, [&] {
    if (h->info(msg, *s.r) == handler_result::ok) req_access::set_looping(*s.r, false);
  });
  settle(self);
}

// After a drain notice: the held messages go to the handler until it blocks again.
void release_held(self_ptr self) {
  auto& s = self->state;
  while (!s.held.empty() && !s.ended && !req_access::blocked(*s.r)) {
    auto msg = std::move(s.held.front());
    s.held.pop_front();
    deliver_info(self, std::move(msg));
  }
}

caf::behavior request_actor(self_ptr self, std::shared_ptr<request_job> job) {
  auto& st = self->state;
  st.r = std::move(job->r);
  req_access::set_listener_error_page(*st.r, job->error_page);
  req_access::bind_actor(*st.r, self);

  // The connection sends an exit when the client reset the stream or the connection closed.
  self->set_exit_handler([self](caf::exit_msg&) { end(self, terminate_reason::reset); });

  // Loop handlers receive whatever other actors send.
  self->set_default_handler(
      [self](caf::scheduled_actor*, caf::message_view& x) -> caf::result<caf::message> {
        deliver_info(self, x.move_content_to_message());
        return caf::message{};
      });

  guarded(self, [&] { run_middlewares(*job->chain, *st.r, st.e, true); });
  // The listener's context holds the chain while it serves; a hop still queued when it
  // stops needs the handler middleware, so the actor keeps the chain until then.
  if (st.hop) st.hop_chain = job->chain;
  job.reset();
  if (!st.hop && settle(self)) return {};

  auto timeout = std::chrono::milliseconds(60'000);
  if (auto h = req_access::handler(*st.r)) timeout = h->loop_timeout();
  return {
      [self](body_atom, const std::string& data, bool fin) {
        if (guarded(self, [&] { req_access::deliver_body(*self->state.r, data, fin); }))
          settle(self);
      },
      [self](drain_atom) {
        if (guarded(self, [&] { req_access::deliver_drain(*self->state.r); }) && !settle(self))
          release_held(self);
      },
      [](start_atom) {},
      [self](hop_atom) {
        // On a CAF worker now: the route's handler, which its route keeps off the io thread.
        auto& s = self->state;
        auto* mw = std::exchange(s.hop, nullptr);
        auto chain = std::move(s.hop_chain);
        if (s.ended || !mw) return;
        if (guarded(self, [&] { mw->execute(*s.r, s.e); })) settle(self);
      },
      [self](shutdown_atom) {
        auto& s = self->state;
        if (s.ended || !req_access::looping(*s.r)) return;  // it finishes on its own
        req_access::set_looping(*s.r, false);
        if (!guarded(self, [&] { req_access::handler(*s.r)->on_shutdown(*s.r); })) return;
        req_access::finish_default(*s.r);
        end(self, terminate_reason::shutdown);
      },  // started already: the chain ran when the first message came
      caf::after(timeout) >>
          [self] {
            auto& s = self->state;
            // Not looping: waiting on the client, whom the connection times out.
            if (!req_access::looping(*s.r)) return;
            if (guarded(self, [&] { req_access::handler(*s.r)->timeout(*s.r); })) {
              req_access::set_looping(*s.r, false);
              if (!req_access::waiting(*s.r)) {
                req_access::finish_default(*s.r);
                end(self, terminate_reason::timeout);
              }
            }
          },
  };
}

}  // namespace

caf::actor spawn_request_actor(caf::actor_system& sys, std::shared_ptr<request_job> job,
                               actor_start when, io_unit* home) {
  if (!home) {
    if (when == actor_start::on_first_message)
      return sys.spawn<caf::lazy_init>(request_actor, std::move(job));
    return sys.spawn(request_actor, std::move(job));
  }
  // Lazily, so that nothing schedules it before its home is set; then started through it.
  auto a = sys.spawn<caf::lazy_init>(request_actor, std::move(job));
  auto* self = caf::actor_cast<caf::abstract_actor*>(a);
  static_cast<caf::stateful_actor<request_state>*>(self)->state.home.store(
      home, std::memory_order_relaxed);
  if (when == actor_start::now) tell(a, home, start_atom::value);
  return a;
}

bool hop_to_workers(caf::event_based_actor* self, const middleware& handler_mw) {
  auto* a = dynamic_cast<self_ptr>(self);
  auto* here = io_unit::current();
  if (!a || !here || a->state.home.load(std::memory_order_relaxed) != here) return false;
  a->state.hop = &handler_mw;
  a->state.home.store(nullptr, std::memory_order_relaxed);  // io_unit: continue_on_workers
  return true;
}

void continue_on_workers(caf::resumable* r) {
  auto* self = dynamic_cast<self_ptr>(r);
  if (!self || !self->state.hop) return;
  // Sent without an execution unit: CAF's scheduler wakes it on a worker. High priority: it
  // goes before body chunks already queued (they wait in req until the handler reads).
  auto a = caf::actor_cast<caf::actor>(self);
  a->enqueue(nullptr, caf::make_message_id<caf::message_priority::high>(),
             caf::make_message(hop_atom::value), nullptr);
}

io_unit* request_actor_home(caf::resumable* r) noexcept {
  auto* self = dynamic_cast<caf::stateful_actor<request_state>*>(r);
  return self ? self->state.home.load(std::memory_order_relaxed) : nullptr;
}

void move_to_workers(caf::resumable* r) noexcept {
  if (auto* self = dynamic_cast<caf::stateful_actor<request_state>*>(r))
    self->state.home.store(nullptr, std::memory_order_relaxed);
}

}  // namespace rodeo
