#pragma once
/// \file
/// A transport with no socket, for tests and rodeo::testing: whoever holds the wire sees each
/// read and write the driver starts and decides when (and how) it completes, so a whole
/// connection (sniffing, back-pressure, resets, timeouts) plays out deterministically on an
/// io_context its owner runs.

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rodeo/internal/net/transport.hpp"

namespace rodeo {

/// What the holder sees of a memory transport, shared with it (the driver owns the transport).
struct memory_wire {
  transport::read_handler pending_read;  ///< the read in flight, if any
  struct write {
    std::string bytes;
    transport::io_handler done;
  };
  std::vector<write> writes;  ///< writes started and not completed, in order
  std::string written;        ///< bytes of the completed writes
  std::string alpn;           ///< what the handshake reports
  bool secure = false;
  bool closed = false;

  bool reading() const { return static_cast<bool>(pending_read); }
  /// Completes the read in flight with `bytes` (or an error).
  void deliver(std::string_view bytes, asio::error_code ec = {}) {
    auto h = std::move(pending_read);
    pending_read = nullptr;
    h(ec, bytes);
  }
  /// Completes the oldest write in flight; false when there is none.
  bool complete_write() {
    if (writes.empty()) return false;
    auto w = std::move(writes.front());
    writes.erase(writes.begin());
    written += w.bytes;
    w.done({}, w.bytes.size());
    return true;
  }
  /// Completes every write, including those the completions start.
  void complete_writes() {
    while (complete_write()) {}
  }
};

class memory_transport final : public transport {
 public:
  memory_transport(asio::io_context& io, std::shared_ptr<memory_wire> wire)
      : io_(io), wire_(std::move(wire)), socket_(io) {}

  void handshake(std::function<void(const asio::error_code&, std::string)> done) override {
    asio::post(io_, [done = std::move(done), alpn = wire_->alpn] { done({}, alpn); });
  }
  void read(read_handler done) override { wire_->pending_read = std::move(done); }
  void write(const std::vector<asio::const_buffer>& bufs, io_handler done) override {
    std::string bytes;
    for (const auto& b : bufs) bytes.append(static_cast<const char*>(b.data()), b.size());
    wire_->writes.push_back({std::move(bytes), std::move(done)});
  }
  // As a socket's: operations in flight complete with operation_aborted.
  void close() override {
    wire_->closed = true;
    if (auto r = std::move(wire_->pending_read)) {
      wire_->pending_read = nullptr;
      asio::post(io_, [r = std::move(r)] { r(asio::error::operation_aborted, {}); });
    }
    for (auto& w : wire_->writes)
      asio::post(io_, [d = std::move(w.done)] { d(asio::error::operation_aborted, 0); });
    wire_->writes.clear();
  }
  asio::ip::tcp::socket& socket() override { return socket_; }
  bool secure() const override { return wire_->secure; }

 private:
  asio::io_context& io_;
  std::shared_ptr<memory_wire> wire_;
  asio::ip::tcp::socket socket_;  // never opened: the peer shows as "unknown"
};

}  // namespace rodeo
