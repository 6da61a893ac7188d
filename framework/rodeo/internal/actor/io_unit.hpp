#pragma once
/// \file
/// `io_unit`: a CAF execution unit per io thread, for listener_options::actor_placement
/// `io_thread`. The request actors of the thread's connections run here, in a handler the
/// unit posts onto the thread's io_context, so after the socket handlers already queued (one
/// round of reads): no hand-off to a CAF worker per request and no wake-up of one, and their
/// commands reach the connection by a direct call instead of a post (stream_link).
///
/// CAF schedules an actor through the execution unit of whoever sent it the message that
/// woke it (`scheduled_actor::enqueue(msg, eu)` calls `eu->exec_later`): the connection sends
/// with this unit, and an actor running here sends with it too. So exec_later sees actors of
/// every kind; only the request actors homed on this unit stay, the rest (user actors,
/// request actors of other io threads) go to CAF's scheduler as usual.
///
/// An actor turn cannot be pre-empted. A turn that takes longer than the time slice moves its
/// actor to CAF's workers for good, so that a handler that computes or blocks delays the
/// thread's other connections once at most; a handler known to block belongs on a listener
/// with `actor_placement::workers`.

#include <asio/io_context.hpp>
#include <caf/execution_unit.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <vector>

namespace rodeo {

class io_unit final : public caf::execution_unit {
 public:
  io_unit(caf::actor_system& sys, asio::io_context& io, std::chrono::microseconds slice);
  /// Actors still queued go to CAF's scheduler (the io thread has stopped).
  ~io_unit() override;
  io_unit(const io_unit&) = delete;
  io_unit& operator=(const io_unit&) = delete;

  /// Queues `r` (a reference counted for it, as CAF's workers do) to run in the next round,
  /// if it is a request actor homed here; else hands it to CAF's scheduler. On the io thread.
  void exec_later(caf::resumable* r) override;

  /// The unit whose actors the calling thread is running right now, or null (not inside a
  /// round): a request actor running on its home unit may call its connection directly.
  static io_unit* current() noexcept;

  /// Actors this unit moved to CAF's workers after a long turn (for tests and metrics).
  std::size_t moved() const { return moved_; }

 private:
  void run_round();

  asio::io_context& io_;
  std::chrono::steady_clock::duration slice_;
  std::vector<caf::resumable*> queue_;  // run in the next round
  std::vector<caf::resumable*> round_;  // the round being run
  bool round_posted_ = false;
  std::size_t moved_ = 0;
};

}  // namespace rodeo
