#pragma once
/// \file
/// The message channel from a request actor to its connection. Commands are posted onto the
/// connection's io thread (a raw post is cheaper than an actor_companion). Posts from one
/// actor run in order, so the wire order is the call order. If the connection is gone,
/// commands are dropped (a dropped push gives its reservation back).
///
/// A request actor homed on its connection's io thread (io_unit.hpp) and running there calls
/// the connection directly instead. Once one of its commands was posted (it ran on a CAF
/// worker, after a long turn or a message from elsewhere), every later one is posted too,
/// behind it: the wire order stays the call order.

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "rodeo/command.hpp"
#include "rodeo/internal/actor/io_unit.hpp"
#include "rodeo/internal/stream/push_state.hpp"
#include "rodeo/stream_handler.hpp"

namespace rodeo {

/// Implemented by the connection; called on its io thread only.
class command_sink {
 public:
  virtual ~command_sink() = default;
  virtual void on_command(stream_id id, command c) = 0;
};

/// The outcomes of one request's pushes: counted by its actor (req.push), read by the
/// connection when the stream ends (for its stream handlers, the access log among them).
/// Atomics: the actor's counts happen before its reply is posted, the read after the end.
struct push_tally {
  std::atomic<std::uint32_t> promised{0}, hinted{0}, skipped{0};

  void count(push_skip outcome) {
    (outcome == push_skip::none ? promised : skipped).fetch_add(1, std::memory_order_relaxed);
  }
  /// A push counted as promised was refused by the protocol after all (stream_closed).
  void refused() {
    promised.fetch_sub(1, std::memory_order_relaxed);
    skipped.fetch_add(1, std::memory_order_relaxed);
  }
  push_counts read() const {
    return {promised.load(std::memory_order_relaxed), hinted.load(std::memory_order_relaxed),
            skipped.load(std::memory_order_relaxed)};
  }
};

class stream_link {
 public:
  /// `io` is shared so that a request actor outliving its listener posts into a stopped
  /// io_context (harmless) rather than a destroyed one.
  /// `home`: the io thread's unit the request actor is homed on, or null (CAF's workers).
  stream_link(std::weak_ptr<command_sink> sink, std::shared_ptr<asio::io_context> io, stream_id id,
              std::shared_ptr<push_state> push, io_unit* home = nullptr)
      : sink_(std::move(sink)), io_(std::move(io)), id_(id), push_(std::move(push)), home_(home) {}

  stream_id id() const { return id_; }
  push_state& push() { return *push_; }
  /// This request's push outcomes.
  push_tally& pushes() { return pushes_; }
  const std::shared_ptr<push_state>& push_shared() const { return push_; }

  /// Posts `c`. A push waits for the next command or the end of the actor's turn (flush) and
  /// goes with it, in one post: the connection then sees a handler's pushes and the reply it
  /// makes in the same turn together, and never sends pushed responses ahead of a parent
  /// response that was about to come (work-conserving push, http2/push.cpp).
  void send(command c) {
    if (std::holds_alternative<cmd::push>(c)) {
      pending_.push_back(std::move(c));
      return;
    }
    if (pending_.empty()) {
      if (direct()) {
        if (auto s = sink_.lock()) s->on_command(id_, std::move(c));
        return;
      }
      asio::post(*io_, [sink = sink_, id = id_, c = std::move(c)]() mutable {
        if (auto s = sink.lock()) s->on_command(id, std::move(c));
      });
      return;
    }
    pending_.push_back(std::move(c));
    flush();
  }

  /// Posts the pushes waiting for the end of the actor's turn (the request actor calls it).
  void flush() {
    if (pending_.empty()) return;
    if (direct()) {
      auto cs = std::move(pending_);
      pending_.clear();
      if (auto s = sink_.lock())
        for (auto& c : cs) s->on_command(id_, std::move(c));
      return;
    }
    asio::post(*io_, [sink = sink_, id = id_, cs = std::move(pending_)]() mutable {
      if (auto s = sink.lock())
        for (auto& c : cs) s->on_command(id, std::move(c));
    });
    pending_.clear();
  }

 private:
  // On the connection's io thread, inside its unit's round, with nothing posted before.
  bool direct() {
    if (!home_ || posted_) return false;
    if (io_unit::current() == home_) return true;
    posted_ = true;
    return false;
  }

  std::weak_ptr<command_sink> sink_;
  std::shared_ptr<asio::io_context> io_;
  stream_id id_;
  std::shared_ptr<push_state> push_;
  push_tally pushes_;
  std::vector<command> pending_;  // pushes of the current actor turn
  io_unit* home_;
  bool posted_ = false;  // a command went by post: the later ones follow it (wire order)
};

}  // namespace rodeo
