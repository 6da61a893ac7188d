#pragma once
/// \file
/// A connection's byte stream: plain TCP or TLS over TCP. The connection is written once
/// against this small interface; the two implementations differ only in the socket they wrap
/// and in the TLS handshake (which also reports the ALPN protocol).

#include <asio/ip/tcp.hpp>
#include <asio/ssl/stream.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rodeo {

class transport {
 public:
  using io_handler = std::function<void(const asio::error_code&, std::size_t)>;
  /// Bytes read; the view is valid only during the call.
  using read_handler = std::function<void(const asio::error_code&, std::string_view)>;
  virtual ~transport() = default;

  /// TLS: runs the handshake and reports the ALPN protocol ("" when none). TCP: reports "".
  virtual void handshake(std::function<void(const asio::error_code&, std::string alpn)> done) = 0;
  /// Reads what the peer sent next. TCP waits for readability and then reads into a buffer
  /// shared by the io thread, so an idle connection holds no read buffer of its own
  /// (10,000 idle connections would otherwise pin 160 MB).
  virtual void read(read_handler done) = 0;
  /// Writes every byte of `bufs`, in order (TCP: one gathered write, writev; TLS: each
  /// buffer encrypted from where it lies). The memory must stay valid until `done`.
  virtual void write(const std::vector<asio::const_buffer>& bufs, io_handler done) = 0;
  /// Closes the socket at once; pending operations complete with operation_aborted.
  virtual void close() = 0;
  virtual asio::ip::tcp::socket& socket() = 0;
  virtual bool secure() const = 0;
};

std::unique_ptr<transport> make_tcp_transport(asio::ip::tcp::socket s);
std::unique_ptr<transport> make_tls_transport(asio::ip::tcp::socket s, asio::ssl::context& ctx);

}  // namespace rodeo
