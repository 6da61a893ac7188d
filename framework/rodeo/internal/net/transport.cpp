#include "rodeo/internal/net/transport.hpp"

#include <asio/read.hpp>
#include <asio/socket_base.hpp>
#include <asio/write.hpp>

#include "rodeo/internal/net/read_buffer.hpp"

#include <array>

namespace rodeo {

namespace io_buffers {

namespace {
constexpr std::size_t read_size = 64 * 1024;
constexpr std::size_t record_plain = 16 * 1024;
thread_local std::array<char, read_size> socket_buffer;
thread_local std::array<char, read_size + 2 * record_plain> plain_buffer;
}  // namespace

std::span<char> socket_read() { return socket_buffer; }
std::span<char> tls_plain() { return plain_buffer; }

}  // namespace io_buffers

namespace {

class tcp_transport final : public transport {
 public:
  explicit tcp_transport(asio::ip::tcp::socket s) : s_(std::move(s)) {
    asio::error_code ignored;
    s_.set_option(asio::ip::tcp::no_delay(true), ignored);  // responses are written whole
    s_.non_blocking(true, ignored);  // read() reads only after the socket said it can
  }
  void handshake(std::function<void(const asio::error_code&, std::string)> done) override {
    done({}, {});
  }
  void read(read_handler done) override {
    s_.async_wait(asio::socket_base::wait_read,
                  [this, done = std::move(done)](const asio::error_code& ec) mutable {
                    if (ec) return done(ec, {});
                    asio::error_code rec;
                    auto buf = io_buffers::socket_read();
                    std::size_t n = s_.read_some(asio::buffer(buf.data(), buf.size()), rec);
                    if (rec == asio::error::would_block || rec == asio::error::try_again)
                      return read(std::move(done));  // spurious wake-up
                    done(rec, std::string_view{buf.data(), n});
                  });
  }
  void write(const std::vector<asio::const_buffer>& bufs, io_handler done) override {
    // One buffer (most writes): no copy of the sequence into the operation.
    if (bufs.size() == 1) return asio::async_write(s_, bufs.front(), std::move(done));
    asio::async_write(s_, bufs, std::move(done));
  }
  void close() override {
    asio::error_code ignored;
    s_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    s_.close(ignored);
  }
  asio::ip::tcp::socket& socket() override { return s_; }
  bool secure() const override { return false; }

 private:
  asio::ip::tcp::socket s_;
};

}  // namespace

std::unique_ptr<transport> make_tcp_transport(asio::ip::tcp::socket s) {
  return std::make_unique<tcp_transport>(std::move(s));
}

}  // namespace rodeo
