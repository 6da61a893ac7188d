#include "rodeo/testing/client.hpp"

#include <asio/post.hpp>
#include <caf/actor_system.hpp>

#include <stdexcept>
#include <utility>

#include "rodeo/internal/net/connection.hpp"
#include "rodeo/internal/net/memory_transport.hpp"
#include "rodeo/internal/net/server_setup.hpp"
#include "rodeo/runtime.hpp"
#include "rodeo/testing/peer.hpp"

namespace rodeo::testing {

struct client::impl {
  std::shared_ptr<caf::actor_system> own_sys;  // destroyed last: actors may still hold ctx
  std::shared_ptr<server_context> ctx;
  std::shared_ptr<io_worker> worker = std::make_shared<io_worker>();
  client_options copts;

  impl(caf::actor_system& sys, listener_options& opts, client_options c) : copts(c) {
    auto made = make_server_context(sys, opts, 1);
    if (!made) throw std::invalid_argument(made.error());
    ctx = std::move(*made);
  }

  ~impl() {
    // Connections still open (a request that timed out) close, and their actors are told.
    for (auto& c : std::vector(worker->connections.begin(), worker->connections.end())) c->close();
    drain();
  }

  // Runs what is ready on the io thread (connection handlers, commands from actors).
  void drain() {
    worker->io.restart();
    worker->io.poll();
  }

  response run(const testing::request& r, protocol p);
};

response client::impl::run(const testing::request& r, protocol p) {
  auto wire = std::make_shared<memory_wire>();
  auto peer = p == http2 ? make_http2_peer(r) : make_http1_peer(r);
  ctx->open_connections.fetch_add(1);  // as the listener counts it; ~connection uncounts it
  auto conn = std::make_shared<connection>(ctx, worker,
                                           std::make_unique<memory_transport>(worker->io, wire));
  asio::post(worker->io, [conn] { conn->start(); });

  // The client's side of the wire: what the peer has to say goes to the pending read; every
  // write the server starts completes at once and goes to the peer. Request actors run on
  // CAF threads and post their commands to the io context, which this thread runs.
  std::string to_send;
  const auto deadline = std::chrono::steady_clock::now() + copts.timeout;
  while (!peer->done() && std::chrono::steady_clock::now() < deadline) {
    to_send += peer->output();
    if (!to_send.empty() && wire->reading()) wire->deliver(std::exchange(to_send, {}));
    while (!wire->writes.empty()) {
      std::string bytes = wire->writes.front().bytes;
      wire->complete_write();
      peer->input(bytes);
    }
    if (wire->closed) {
      peer->closed();
      break;
    }
    if (peer->done()) break;
    worker->io.restart();
    worker->io.run_one_for(std::chrono::milliseconds(20));
  }
  const bool done = peer->done();
  asio::post(worker->io, [conn] { conn->close(); });
  conn.reset();
  drain();
  if (!done)
    throw timeout_error("rodeo::testing: " + r.method + " " + r.path + " got no complete " +
                        "response within " + std::to_string(copts.timeout.count()) +
                        " ms: does its handler reply (or end its stream)?");
  return peer->take();
}

client::client(listener_options opts, client_options copts) {
  auto sys = make_actor_system(copts.actor_threads);
  impl_ = std::make_unique<impl>(*sys, opts, copts);
  impl_->own_sys = std::move(sys);
}

client::client(caf::actor_system& sys, listener_options opts, client_options copts)
    : impl_(std::make_unique<impl>(sys, opts, copts)) {}

client::~client() = default;

response client::request(const testing::request& r, protocol p) { return impl_->run(r, p); }

response client::get(std::string path, protocol p) {
  return request({.method = "GET", .path = std::move(path)}, p);
}

}  // namespace rodeo::testing
