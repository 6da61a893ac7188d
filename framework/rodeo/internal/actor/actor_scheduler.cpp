#include "rodeo/internal/actor/actor_scheduler.hpp"

#include <utility>

namespace rodeo {

void lean_clock::remember(caf::abstract_actor* self) {
  std::lock_guard<std::mutex> g{m_};
  timed_.insert(self);
}

bool lean_clock::has_timeouts(caf::abstract_actor* self) {
  std::lock_guard<std::mutex> g{m_};
  return timed_.count(self) != 0;
}

void lean_clock::set_ordinary_timeout(time_point t, caf::abstract_actor* self, caf::atom_value type,
                                      uint64_t id) {
  remember(self);
  real_.set_ordinary_timeout(t, self, type, id);
}

void lean_clock::set_request_timeout(time_point t, caf::abstract_actor* self, caf::message_id id) {
  remember(self);
  real_.set_request_timeout(t, self, id);
}

void lean_clock::set_multi_timeout(time_point t, caf::abstract_actor* self, caf::atom_value type,
                                   uint64_t id) {
  remember(self);
  real_.set_multi_timeout(t, self, type, id);
}

void lean_clock::cancel_ordinary_timeout(caf::abstract_actor* self, caf::atom_value type) {
  if (has_timeouts(self)) real_.cancel_ordinary_timeout(self, type);
}

void lean_clock::cancel_request_timeout(caf::abstract_actor* self, caf::message_id id) {
  if (has_timeouts(self)) real_.cancel_request_timeout(self, id);
}

void lean_clock::cancel_timeouts(caf::abstract_actor* self) {
  // Called once, from the actor's cleanup: forget it, so that an actor allocated later at
  // the same address starts without a mark.
  bool had = false;
  {
    std::lock_guard<std::mutex> g{m_};
    had = timed_.erase(self) != 0;
  }
  if (!had) return;
  forwarded_.fetch_add(1, std::memory_order_relaxed);
  real_.cancel_timeouts(self);
}

void lean_clock::schedule_message(time_point t, caf::strong_actor_ptr receiver,
                                  caf::mailbox_element_ptr content) {
  real_.schedule_message(t, std::move(receiver), std::move(content));
}

void lean_clock::schedule_message(time_point t, caf::group target, caf::strong_actor_ptr sender,
                                  caf::message content) {
  real_.schedule_message(t, std::move(target), std::move(sender), std::move(content));
}

void lean_clock::cancel_all() { real_.cancel_all(); }

std::size_t lean_clock::tracked() {
  std::lock_guard<std::mutex> g{m_};
  return timed_.size();
}

}  // namespace rodeo
