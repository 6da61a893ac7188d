#include "rodeo/internal/actor/io_unit.hpp"

#include <asio/post.hpp>
#include <caf/actor_system.hpp>
#include <caf/resumable.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>

#include <utility>

#include "rodeo/internal/actor/request_actor.hpp"

namespace rodeo {

namespace {

thread_local io_unit* running = nullptr;

// Messages an actor handles per turn before the others queued get theirs: a request actor
// rarely has more than a few waiting (body chunks), and a round must stay short.
constexpr std::size_t turn_messages = 16;

}  // namespace

io_unit::io_unit(caf::actor_system& sys, asio::io_context& io, std::chrono::microseconds slice)
    : caf::execution_unit(&sys), io_(io), slice_(slice) {}

io_unit::~io_unit() {
  for (auto* r : queue_) system().scheduler().enqueue(r);
}

io_unit* io_unit::current() noexcept { return running; }

void io_unit::exec_later(caf::resumable* r) {
  if (request_actor_home(r) != this) {
    system().scheduler().enqueue(r);
    return;
  }
  queue_.push_back(r);
  if (round_posted_) return;
  round_posted_ = true;
  // The unit by address: a handler queued on the io_context runs only while its io_worker,
  // which owns both, lives.
  asio::post(io_, [this] { run_round(); });
}

// The actors queued so far, each for one turn; those woken meanwhile (by the connection or by
// one another) wait for the next round, behind the socket handlers queued in between.
void io_unit::run_round() {
  round_posted_ = false;
  round_.swap(queue_);
  auto* outer = std::exchange(running, this);
  for (auto* r : round_) {
    const auto start = std::chrono::steady_clock::now();
    const auto res = r->resume(this, turn_messages);
    const bool long_turn = std::chrono::steady_clock::now() - start > slice_;
    // Its route wants CAF's workers (actor_placement_key): it left during the turn.
    const bool hopped = res != caf::resumable::done && request_actor_home(r) != this;
    if (hopped) {
      continue_on_workers(r);  // a message that wakes it on a worker, or waits for it there
      if (res == caf::resumable::resume_later)
        system().scheduler().enqueue(r);
      else
        intrusive_ptr_release(r);
      continue;
    }
    switch (res) {
      case caf::resumable::resume_later:
        if (long_turn) {
          move_to_workers(r);
          ++moved_;
          system().scheduler().enqueue(r);  // takes over the reference
        } else {
          exec_later(r);
        }
        break;
      case caf::resumable::awaiting_message:
        if (long_turn) {
          move_to_workers(r);
          ++moved_;
        }
        intrusive_ptr_release(r);
        break;
      case caf::resumable::done:
      case caf::resumable::shutdown_execution_unit:
        intrusive_ptr_release(r);  // may destroy it
        break;
    }
  }
  round_.clear();
  running = outer;
}

}  // namespace rodeo
