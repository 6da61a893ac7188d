#include "rodeo/internal/net/transport.hpp"

#include <asio/read.hpp>
#include <asio/socket_base.hpp>
#include <asio/write.hpp>

#include "rodeo/internal/net/tls/context.hpp"

#include <array>

namespace rodeo {

namespace {

// One read buffer per io thread: a read completes and is consumed (fed to the protocol
// engine, which copies what it keeps) before the thread runs the next handler.
constexpr std::size_t read_buffer_size = 64 * 1024;
thread_local std::array<char, read_buffer_size> thread_read_buffer;

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
                    std::size_t n = s_.read_some(asio::buffer(thread_read_buffer), rec);
                    if (rec == asio::error::would_block || rec == asio::error::try_again)
                      return read(std::move(done));  // spurious wake-up
                    done(rec, std::string_view{thread_read_buffer.data(), n});
                  });
  }
  void write(asio::const_buffer buf, io_handler done) override {
    asio::async_write(s_, buf, std::move(done));
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

class tls_transport final : public transport {
 public:
  tls_transport(asio::ip::tcp::socket s, asio::ssl::context& ctx) : s_(std::move(s), ctx) {
    asio::error_code ignored;
    s_.lowest_layer().set_option(asio::ip::tcp::no_delay(true), ignored);
  }
  void handshake(std::function<void(const asio::error_code&, std::string)> done) override {
    s_.async_handshake(asio::ssl::stream_base::server,
                       [this, done = std::move(done)](const asio::error_code& ec) {
                         done(ec, ec ? std::string{} : tls::selected_alpn(s_.native_handle()));
                       });
  }
  void read(read_handler done) override {
    // TLS records are decrypted into a buffer of the connection's own: OpenSSL may hold
    // decrypted bytes the socket no longer signals, so wait-then-read does not fit. Not
    // zero-filled: only the pages records are decrypted into become resident (an idle
    // connection's few frames touch one, where make_unique's zeroing touched all four).
    if (!buf_) buf_ = std::make_unique_for_overwrite<std::array<char, 16 * 1024>>();
    s_.async_read_some(asio::buffer(*buf_),
                       [this, done = std::move(done)](const asio::error_code& ec, std::size_t n) {
                         done(ec, std::string_view{buf_->data(), n});
                       });
  }
  void write(asio::const_buffer buf, io_handler done) override {
    asio::async_write(s_, buf, std::move(done));
  }
  void close() override {
    // No close_notify round trip: the connection already said what it had to (GOAWAY or
    // the last response); a blocking TLS shutdown would only delay the close.
    asio::error_code ignored;
    s_.lowest_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    s_.lowest_layer().close(ignored);
  }
  asio::ip::tcp::socket& socket() override { return s_.next_layer(); }
  bool secure() const override { return true; }

 private:
  asio::ssl::stream<asio::ip::tcp::socket> s_;
  std::unique_ptr<std::array<char, 16 * 1024>> buf_;
};

}  // namespace

std::unique_ptr<transport> make_tcp_transport(asio::ip::tcp::socket s) {
  return std::make_unique<tcp_transport>(std::move(s));
}

std::unique_ptr<transport> make_tls_transport(asio::ip::tcp::socket s, asio::ssl::context& ctx) {
  return std::make_unique<tls_transport>(std::move(s), ctx);
}

}  // namespace rodeo
