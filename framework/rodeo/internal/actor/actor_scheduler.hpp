#pragma once
/// \file
/// The CAF scheduler Rodeo runs request actors on: CAF's work-sharing coordinator with a
/// clock that does not wake its timer thread for actors that never set a timeout.
///
/// CAF 0.17 ends every actor with `clock().cancel_timeouts(self)` (local_actor::cleanup), and
/// its thread-safe clock turns each call into a queue push and a wake of the `caf.clock`
/// thread. A request actor that answers at once never set a timeout, so that wake is pure
/// cost: the clock thread used 0.7 µs of CPU per /hello request under h2load, a tenth of the
/// server's. `lean_clock` remembers which actors set a timeout and lets only their
/// cancellations through; everything else goes to CAF's clock unchanged.

#include <caf/detail/thread_safe_actor_clock.hpp>
#include <caf/policy/work_sharing.hpp>
#include <caf/scheduler/coordinator.hpp>

#include <atomic>
#include <mutex>
#include <unordered_set>

namespace rodeo {

class lean_clock final : public caf::detail::thread_safe_actor_clock {
 public:
  explicit lean_clock(caf::detail::thread_safe_actor_clock& real) : real_(real) {}

  void set_ordinary_timeout(time_point t, caf::abstract_actor* self, caf::atom_value type,
                            uint64_t id) override;
  void set_request_timeout(time_point t, caf::abstract_actor* self, caf::message_id id) override;
  void set_multi_timeout(time_point t, caf::abstract_actor* self, caf::atom_value type,
                         uint64_t id) override;
  void cancel_ordinary_timeout(caf::abstract_actor* self, caf::atom_value type) override;
  void cancel_request_timeout(caf::abstract_actor* self, caf::message_id id) override;
  void cancel_timeouts(caf::abstract_actor* self) override;
  void schedule_message(time_point t, caf::strong_actor_ptr receiver,
                        caf::mailbox_element_ptr content) override;
  void schedule_message(time_point t, caf::group target, caf::strong_actor_ptr sender,
                        caf::message content) override;
  void cancel_all() override;

  /// How many living actors have set a timeout (for tests).
  std::size_t tracked();
  /// How many cancel_timeouts calls reached CAF's clock (for tests).
  std::size_t forwarded() const { return forwarded_.load(std::memory_order_relaxed); }

 private:
  void remember(caf::abstract_actor* self);
  bool has_timeouts(caf::abstract_actor* self);

  caf::detail::thread_safe_actor_clock& real_;  // the coordinator's: it runs the timer thread
  std::mutex m_;
  std::unordered_set<caf::abstract_actor*> timed_;  // actors that set a timeout and still live
  std::atomic<std::size_t> forwarded_{0};
};

class actor_scheduler final : public caf::scheduler::coordinator<caf::policy::work_sharing> {
 public:
  using super = caf::scheduler::coordinator<caf::policy::work_sharing>;

  explicit actor_scheduler(caf::actor_system& sys) : super(sys), clock_(super::clock()) {}

  /// For actor_system_config::load<actor_scheduler>().
  static caf::actor_system::module* make(caf::actor_system& sys, caf::detail::type_list<>) {
    return new actor_scheduler(sys);
  }

  caf::detail::thread_safe_actor_clock& clock() noexcept override { return clock_; }

 private:
  lean_clock clock_;
};

}  // namespace rodeo
