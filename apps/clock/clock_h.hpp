#pragma once
/// \file
/// The clock: a loop handler that streams server-sent events (the HTML Living Standard's
/// `text/event-stream`): one `data: <time>` event at once, then one a second, sent by a timer
/// message the request actor sends itself, until the client leaves (then `terminate(reset)`
/// runs and the open-clock count goes down).

#include <atomic>
#include <ctime>
#include <memory>
#include <string>

#include "rodeo/rodeo.hpp"

namespace clock_app {

/// How many clocks are open; shared by the clock handlers of one server.
using clock_count = std::shared_ptr<std::atomic<int>>;

/// One event for time `t`: "data: 2024-05-01T12:00:00Z\n\n" (ISO 8601, UTC).
std::string clock_event(std::time_t t);

/// GET /clock: the time every second as server-sent events, until the client leaves.
class clock_h final : public rodeo::handler_base {
 public:
  explicit clock_h(clock_count open) : open_(std::move(open)) {}
  rodeo::handler_result init(rodeo::req& req) override;
  rodeo::handler_result info(const caf::message& msg, rodeo::req& req) override;
  void terminate(rodeo::terminate_reason why, rodeo::req& req) override;

 private:
  void tick(rodeo::req& req);

  clock_count open_;
  bool counted_ = false;
};

/// GET /clock/clients: how many clocks are open, as text.
class clients_h final : public rodeo::handler_base {
 public:
  explicit clients_h(clock_count open) : open_(std::move(open)) {}
  rodeo::handler_result init(rodeo::req& req) override;

 private:
  clock_count open_;
};

}  // namespace clock_app
