#pragma once
/// \file
/// rodeo::testing: an in-process client for handler and middleware tests, as Go's httptest
/// and gun in Cowboy's common tests. A client takes the options a listener would (the
/// middleware chain from routes and middlewares, stream handlers, limits) and answers each
/// request through the real stack (connection, HTTP/1.1 or HTTP/2 engine, request actors,
/// the chain, stream handlers, push) over an in-memory transport: no socket, no port.
///
///   rodeo::testing::client c{{.chain = rodeo::mw::default_chain(routes)}};
///   auto res = c.get("/hello/joe");
///   CHECK(res.status == 200);
///
/// Each request runs on a new connection and is synchronous: `request` returns once the
/// response and every push it made are complete, or throws rodeo::testing::timeout_error
/// after the client's timeout (a handler that never replies). The calling thread runs the
/// connection; one request at a time per client (a client is not shared between threads).
/// Writes complete as soon as the server makes them: a client that reads slowly is the live
/// tests' business (tests/live).

#include <caf/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/headers.hpp"
#include "rodeo/listener.hpp"

namespace rodeo::testing {

/// The protocol a request is sent with. HTTP/2 is h2c by prior knowledge, with push enabled.
enum class protocol { http1, http2 };
inline constexpr protocol http1 = protocol::http1;
inline constexpr protocol http2 = protocol::http2;

/// What the client sends. `host` is the `host` field (HTTP/1.1, unless `headers` has one) or
/// `:authority` (HTTP/2).
/// A body gets its `content-length` unless `headers` has one (or `transfer-encoding`).
struct request {
  std::string method = "GET";
  std::string path = "/";    ///< the request target: path and query
  rodeo::headers headers{};  ///< lowercase names
  std::string body{};
  std::string host = "localhost";
};

/// One response message: a 1xx, a final response or a pushed one.
struct message {
  int status = 0;
  rodeo::headers headers;  ///< lowercase names, as received
  std::string body;        ///< decoded from chunks; compressed bytes stay compressed
  rodeo::headers trailers;

  /// The first field named `name` (lowercase), if any.
  std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

/// A push the response made (HTTP/2): the promised request and the pushed response.
struct pushed : message {
  std::string method;       ///< :method of the PUSH_PROMISE
  std::string path;         ///< :path
  std::string host;         ///< :authority
  rodeo::headers promised;  ///< the promised request's other fields
  bool complete = false;    ///< the pushed stream ended normally (not reset)
};

/// A request's outcome.
struct response : message {
  std::vector<message> informational;  ///< 1xx responses (103 Early Hints...), in order
  std::vector<pushed> pushes;          ///< in the order promised
  /// The response ended normally: false when the server reset the stream or closed the
  /// connection before its end (what a client would see as an error).
  bool complete = false;
};

/// Thrown when a request gets no complete response within the client's timeout.
class timeout_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct client_options {
  /// How long one request may take, pushes included.
  std::chrono::milliseconds timeout{5'000};
  /// CAF worker threads for request actors (unless an actor system is given).
  unsigned actor_threads = 2;
};

class client {
 public:
  /// A client for the listener `opts` describe (ports, TLS and io_threads are ignored; the
  /// access log stays as configured). Bad options throw std::invalid_argument with the line
  /// listener::start would give. The client runs its own actor system.
  explicit client(listener_options opts, client_options copts = {});
  /// Request actors run on `sys`, which must outlive the client.
  client(caf::actor_system& sys, listener_options opts, client_options copts = {});
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  /// Sends `r` on a new connection and waits for its response and pushes.
  response request(const testing::request& r, protocol p = http1);
  /// GET `path`.
  response get(std::string path, protocol p = http1);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace rodeo::testing
