#pragma once
/// \file
/// One stream's chain of stream handlers (stream_handler.hpp) in front of its protocol
/// engine. The connection owns one per stream: it sends the request actor's commands in,
/// receives what leaves the last handler through `to_engine`, and reports the stream's end.
/// On the connection's io thread only.

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "rodeo/stream_handler.hpp"

namespace rodeo {

class stream_chain {
 public:
  using sink = std::function<void(command&)>;

  /// Calls every factory in order (nullptr results are skipped). `to_engine` receives the
  /// commands that leave the chain.
  stream_chain(const std::vector<stream_handler_factory>& factories, const stream_info& info,
               sink to_engine);

  stream_chain(const stream_chain&) = delete;
  stream_chain& operator=(const stream_chain&) = delete;

  /// A command from the request actor. A crash before any response becomes the 500 reply
  /// here, at the top, so that every handler sees (and may decorate) the 500.
  void send(command c);

  /// Request body bytes received for this stream.
  void received(std::size_t n) { end_.bytes_in += n; }
  /// The outcomes of the pushes the request made, for the report.
  void set_pushes(push_counts c) { end_.pushes = c; }

  /// The stream ended: every handler's on_end, in chain order, once. Called while a command is
  /// inside the chain (an engine may close a stream inside `reply`), the report waits until
  /// that command has left it, so that on_end never runs inside a handler's on_command.
  void finish(stream_end_reason why);

  /// The connection is about to end the stream abnormally for `why` (a timeout): the end
  /// that the engine reports next (a reset) is reported as `why`.
  void expect_end(stream_end_reason why) { expected_ = why; }

  /// A final response (reply or stream_reply) has left the chain towards the engine.
  bool replied() const { return end_.status >= 200; }
  /// Handlers this stream runs (factories that returned nullptr excluded).
  std::size_t size() const { return handlers_.size(); }

 private:
  friend class stream_next;
  void pass(std::size_t index, command& c);
  void account(const command& c);
  void report();

  std::vector<std::unique_ptr<stream_handler>> handlers_;
  sink to_engine_;
  stream_end end_;
  int depth_ = 0;          // commands inside the chain right now (re-entrance)
  bool answered_ = false;  // a final response entered the chain (top)
  bool crashed_ = false;   // the handler crashed after answering: a reset follows
  bool finish_pending_ = false;
  std::optional<stream_end_reason> expected_;
  bool finished_ = false;
};

}  // namespace rodeo
