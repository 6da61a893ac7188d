#include "rodeo/transport.hpp"

#include <asio/read.hpp>
#include <asio/write.hpp>

#include "rodeo/tls/context.hpp"

namespace rodeo {

namespace {

class tcp_transport final : public transport {
 public:
  explicit tcp_transport(asio::ip::tcp::socket s) : s_(std::move(s)) {
    asio::error_code ignored;
    s_.set_option(asio::ip::tcp::no_delay(true), ignored);  // responses are written whole
  }
  void handshake(std::function<void(const asio::error_code&, std::string)> done) override {
    done({}, {});
  }
  void read_some(asio::mutable_buffer buf, io_handler done) override {
    s_.async_read_some(buf, std::move(done));
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
  void read_some(asio::mutable_buffer buf, io_handler done) override {
    s_.async_read_some(buf, std::move(done));
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
};

}  // namespace

std::unique_ptr<transport> make_tcp_transport(asio::ip::tcp::socket s) {
  return std::make_unique<tcp_transport>(std::move(s));
}

std::unique_ptr<transport> make_tls_transport(asio::ip::tcp::socket s, asio::ssl::context& ctx) {
  return std::make_unique<tls_transport>(std::move(s), ctx);
}

}  // namespace rodeo
