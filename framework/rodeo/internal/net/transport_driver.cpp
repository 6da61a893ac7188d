#include "rodeo/internal/net/transport_driver.hpp"

#include <algorithm>

#include "rodeo/log.hpp"

namespace rodeo {

namespace {

std::string peer_of(transport& t) {
  asio::error_code ec;
  auto ep = t.socket().remote_endpoint(ec);
  if (ec) return "unknown";
  auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" +
         std::to_string(ep.port());
}

}  // namespace

transport_driver::transport_driver(asio::io_context& io, std::unique_ptr<transport> t, options opts)
    : transport_(std::move(t)), opts_(opts), peer_(peer_of(*transport_)), timer_(io) {}

void transport_driver::start(std::weak_ptr<user> owner) {
  owner_ = std::move(owner);
  auto self = owner_.lock();
  user_ = self.get();
  arm_timer();
  transport_->handshake([this, self](const asio::error_code& ec, std::string alpn) {
    if (closed_) return;
    if (ec) {
      log::tls()->debug("{} handshake failed: {}", peer_, ec.message());
      return user_->on_broken();
    }
    user_->on_handshake(alpn);
  });
}

bool transport_driver::read_blocked() const {
  auto socket = pending();
  if (socket > opts_.max_output) return true;
  return socket > 0 && opts_.shared_output &&
         opts_.shared_output->load(std::memory_order_relaxed) > opts_.output_budget;
}

void transport_driver::read() {
  if (reading_ || closed_ || read_blocked()) return;
  reading_ = true;
  transport_->read(
      [this, self = owner_.lock()](const asio::error_code& ec, std::string_view bytes) {
        reading_ = false;
        if (closed_) return;
        if (ec) {
          if (ec != asio::error::eof && ec != asio::error::operation_aborted)
            log::net()->debug("{} read failed: {}", peer_, ec.message());
          return user_->on_broken();
        }
        user_->on_input(bytes);
      });
}

bool transport_driver::flush() {
  if (closed_ || writing_busy_ || out_.empty()) return false;
  writing_.splice(out_);
  write_progress_ = clock::now();
  write_next();
  return true;
}

// One piece of writing_ at a time: each completion is progress for the send timeout.
void transport_driver::write_next() {
  writing_busy_ = true;
  // The pieces up to write_chunk bytes, in one gathered write (a shared body is not copied).
  iov_.clear();
  std::size_t n = 0;
  for (std::size_t i = 0; i < writing_.pieces() && n < write_chunk; ++i) {
    auto p = writing_.piece(i);
    p = p.substr(0, write_chunk - n);
    if (p.empty()) continue;
    iov_.emplace_back(p.data(), p.size());
    n += p.size();
  }
  transport_->write(iov_, [this, self = owner_.lock(), n](const asio::error_code& ec, std::size_t) {
    if (!ec) writing_.consume(n);
    on_written(ec);
  });
}

void transport_driver::on_written(const asio::error_code& ec) {
  writing_busy_ = false;
  if (closed_) return;
  if (ec) {
    log::net()->debug("{} write failed: {}", peer_, ec.message());
    return user_->on_broken();
  }
  write_progress_ = clock::now();
  if (!writing_.empty()) write_next();
  user_->on_output_progress();
}

void transport_driver::trim() {
  if (writing_busy_ || !out_.empty()) return;
  out_.release();
  writing_.release();
  std::vector<asio::const_buffer>{}.swap(iov_);
}

void transport_driver::linger() {
  if (!linger_since_) linger_since_ = clock::now();
}

void transport_driver::close() {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  transport_->close();
}

void transport_driver::arm_timer() {
  timer_.expires_after(opts_.tick);
  timer_.async_wait([this, self = owner_.lock()](const asio::error_code& ec) {
    if (ec || closed_) return;
    auto now = clock::now();
    if (check_deadlines(now)) return user_->on_broken();
    user_->on_tick(now);
    if (!closed_) arm_timer();
  });
}

// The socket's deadlines. True when one passed.
bool transport_driver::check_deadlines(clock::time_point now) {
  // Cowboy's linger_timeout: only the flush was left, and the peer does not take it.
  if (linger_since_ && now - *linger_since_ >= opts_.linger_timeout) {
    log::net()->debug("{} output not flushed {} ms after the close was decided: closing", peer_,
                      opts_.linger_timeout.count());
    return true;
  }
  // Output pending and no byte written for send_timeout: the peer does not read.
  if (writing_busy_ && now - write_progress_ >= opts_.send_timeout) {
    log::net()->debug("{} no write progress for {} ms: closing", peer_, opts_.send_timeout.count());
    return true;
  }
  return false;
}

}  // namespace rodeo
