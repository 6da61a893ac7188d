#pragma once
// Test support: a real rodeo::req wired to a recording command sink instead of a connection,
// and a real request actor to run a middleware chain over it. What the req sends is posted to
// the fixture's io_context, as it would be to a connection's io thread; `sent()` runs those
// posts and returns the commands in order.

#include <asio/io_context.hpp>

#include <caf/actor_system.hpp>
#include <caf/after.hpp>
#include <caf/scoped_actor.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "rodeo/command.hpp"
#include "rodeo/internal/actor/request_actor.hpp"
#include "rodeo/internal/actor/stream_link.hpp"
#include "rodeo/internal/stream/push_state.hpp"
#include "rodeo/middleware.hpp"
#include "rodeo/push_metrics.hpp"
#include "rodeo/req.hpp"

namespace rodeo::test {

/// Stands in for the connection: collects what the req sends down its stream link.
class recording_sink final : public command_sink {
 public:
  void on_command(stream_id, command c) override { got.push_back(std::move(c)); }
  std::vector<command> got;
};

/// A request head: `target` is "/path?qs"; the authority is the Host.
inline request_head make_head(std::string method, std::string authority, std::string target,
                              headers fields = {}) {
  request_head h;
  h.method = std::move(method);
  h.scheme = "http";
  h.authority = std::move(authority);
  if (auto q = target.find('?'); q != std::string::npos) {
    h.qs = target.substr(q + 1);
    target.resize(q);
  }
  h.path = std::move(target);
  h.version = "HTTP/1.1";
  h.fields = std::move(fields);
  return h;
}

/// A req wired to a recording sink; no connection, no actor until `start` gives it one.
struct req_fixture {
  std::shared_ptr<asio::io_context> io = std::make_shared<asio::io_context>();
  std::shared_ptr<recording_sink> sink = std::make_shared<recording_sink>();
  std::unique_ptr<rodeo::req> req;

  explicit req_fixture(request_head head) {
    auto push = std::make_shared<push_state>(false, std::make_shared<push_metrics>());
    auto link = std::make_shared<stream_link>(sink, io, 1, push);
    req = std::make_unique<rodeo::req>(std::move(head), link, "127.0.0.1:50000", false);
  }
  /// `GET target` on host example.org with `fields`.
  explicit req_fixture(std::string target, headers fields = {})
      : req_fixture(make_head("GET", "example.org", std::move(target), std::move(fields))) {}

  /// The commands the req sent since the last call, in order.
  std::vector<command> sent() {
    io->restart();
    io->poll();
    return std::move(sink->got);
  }
};

/// Runs `chain` over the fixture's req in a real request actor (the req moves into it), with
/// the listener's error page `error_page` if any.
inline caf::actor start(caf::actor_system& sys, req_fixture& f, middleware_chain chain,
                        error_page_fn error_page = {}) {
  auto job = std::make_shared<request_job>();
  job->r = std::move(f.req);
  job->chain = std::make_shared<const middleware_chain>(std::move(chain));
  if (error_page) job->error_page = std::make_shared<const error_page_fn>(std::move(error_page));
  return spawn_request_actor(sys, std::move(job));
}

/// Waits until `a` has ended; false if it is still running after `limit`.
inline bool wait_ended(caf::actor_system& sys, const caf::actor& a,
                       std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  caf::scoped_actor self{sys};
  self->monitor(a);
  bool ended = false;
  self->receive([&](const caf::down_msg&) { ended = true; }, caf::after(limit) >> [] {});
  return ended;
}

/// Runs `chain` in a request actor until it ends, and returns what the req sent.
inline std::vector<command> run_chain(caf::actor_system& sys, req_fixture& f,
                                      middleware_chain chain, error_page_fn error_page = {}) {
  auto a = start(sys, f, std::move(chain), std::move(error_page));
  if (!wait_ended(sys, a)) return {};
  return f.sent();
}

/// The one reply among `cmds` (nullptr if there is not exactly one command, or it is not a
/// reply).
inline const cmd::reply* only_reply(const std::vector<command>& cmds) {
  return cmds.size() == 1 ? std::get_if<cmd::reply>(&cmds[0]) : nullptr;
}

}  // namespace rodeo::test
