#pragma once
/// \file
/// Stream handlers: Cowboy's `cowboy_stream`. Each listener has a chain of them; every command
/// a request actor sends for a stream (inform, reply, stream_reply, body, trailers, crash,
/// push, watch_drain) passes down the chain before it reaches the protocol engine, and every
/// stream's end (status, bytes both ways, timings, protocol, reason) is reported to each.
///
///   request actor -> stream_link -> [access log] -> [user handlers...] -> engine
///
/// Where they run: on the connection's io thread, as Cowboy runs its stream handlers in the
/// connection process. That is the one place that sees every command in wire order *and* every
/// end, including client resets and closed connections after the request actor is gone; a
/// handler in the request actor would miss those. The price: a stream handler must be short
/// and must never block (no file or network I/O, no locks held long); it delays every stream
/// of every connection of that io thread. Slow work belongs in the request actor or behind a
/// message. Compression (compress_stream_h) is the heaviest built-in: measured in
/// compress_stream_h.hpp.
///
/// A stream handler is an object per stream, made by a factory the listener calls when the
/// stream starts (listener_options::stream_handlers). A factory may return nullptr when it has
/// nothing to do for that stream (compression for a client that accepts none): the stream
/// then costs it nothing.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/command.hpp"
#include "rodeo/request_head.hpp"

namespace rodeo {

/// Why a stream ended.
enum class stream_end_reason {
  normal,  ///< the response was completely handed to the transport
  reset,   ///< the client reset the stream, or the engine did for a protocol error
  /// the handler (or a stream handler) threw after the response had started: the stream was
  /// reset (HTTP/2) or the connection closed (HTTP/1.1)
  crash,
  timeout,            ///< a body or send timeout ended it
  connection_closed,  ///< the connection closed (peer gone, I/O error, stop) before the end
};

/// "normal", "reset", "crash", "timeout", "connection_closed".
std::string_view to_string(stream_end_reason r);

/// What a factory and its handler know of a stream when it starts.
struct stream_info {
  stream_id id = 0;
  const request_head* head = nullptr;  ///< valid during the factory call only
  std::string_view protocol;           ///< "http/1.1", "h2" (TLS) or "h2c" (clear text)
  std::string_view peer;               ///< "address:port"
  bool pushed = false;                 ///< a server push (its request was made up by us)
};

/// What became of the pushes a request made (req.pushes() has each one).
struct push_counts {
  std::uint32_t promised = 0;  ///< PUSH_PROMISE sent
  std::uint32_t hinted = 0;    ///< sent as a 103 Early Hints link instead
  std::uint32_t skipped = 0;   ///< did nothing on the wire (a push_skip reason)
  bool any() const { return promised + hinted + skipped > 0; }
};

/// A stream's end, as every stream handler of the chain sees it.
struct stream_end {
  using clock = std::chrono::steady_clock;
  stream_id id = 0;
  std::string protocol;  ///< "http/1.1", "h2" or "h2c"
  std::string peer;
  std::string method, path, qs;
  bool pushed = false;
  /// The final status sent (after every stream handler), 0 when none was.
  int status = 0;
  std::uint64_t bytes_in = 0;    ///< request body bytes received
  std::uint64_t bytes_out = 0;   ///< response body bytes handed to the engine (compressed size)
  clock::time_point start;       ///< the request head was complete
  clock::time_point first_byte;  ///< the response head left the chain; == start when none did
  clock::time_point end;
  stream_end_reason reason = stream_end_reason::normal;
  /// The pushes this request made, by outcome.
  push_counts pushes;

  /// end - start in microseconds.
  std::int64_t duration_us() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(end - start).count();
  }
};

class stream_chain;

/// Passes a command on to the rest of the chain (the next handler, at last the engine).
/// Call it zero times to swallow a command, several times to split one.
class stream_next {
 public:
  stream_next(stream_chain& chain, std::size_t index) : chain_(&chain), index_(index) {}
  void operator()(command& c) const;
  void operator()(command&& c) const { (*this)(c); }

 private:
  stream_chain* chain_;
  std::size_t index_;
};

/// One stream's state in one stream handler. Both calls happen on the connection's io thread.
class stream_handler {
 public:
  virtual ~stream_handler() = default;

  /// A command of this stream on its way to the engine. The default passes it on unchanged.
  /// A handler may change it (add a field, compress a body) before `next(c)`.
  /// A crash before any response arrives here already turned into the 500 reply.
  virtual void on_command(command& c, const stream_next& next) { next(c); }

  /// The stream ended; called once, after which the handler is destroyed. Must not throw.
  virtual void on_end(const stream_end& e) { (void)e; }
};

/// Makes a stream's handler when it starts; may return nullptr (nothing to do for it).
/// Called on io threads, concurrently for different connections: keep shared state const or
/// atomic.
using stream_handler_factory = std::function<std::unique_ptr<stream_handler>(const stream_info&)>;

}  // namespace rodeo
