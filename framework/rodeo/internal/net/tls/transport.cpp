// TLS over TCP with OpenSSL driven directly, through a BIO of our own.
//
// Why not asio::ssl::stream: it moves encrypted bytes through a 17 KiB BIO pair, so every
// 16 KiB record costs a copy into the pair, a copy out of it, a socket write and a handler
// dispatch, and each connection keeps a decryption buffer of its own. Here:
// - a write encrypts all it is given (SSL_write_ex; records of up to 16 KiB, RFC 8446 §5.1)
//   straight into one output buffer, which goes to the socket in one write;
// - a read waits for readability, reads into the io thread's buffer and decrypts every
//   complete record into the thread's plain-text buffer; OpenSSL keeps only a partial
//   record (and, with SSL_MODE_RELEASE_BUFFERS, frees its buffers when they are empty), so
//   an idle connection holds no read buffer.

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <asio/error.hpp>
#include <asio/post.hpp>
#include <asio/socket_base.hpp>
#include <asio/ssl/error.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <cstring>

#include "rodeo/internal/net/read_buffer.hpp"
#include "rodeo/internal/net/tls/context.hpp"
#include "rodeo/internal/net/transport.hpp"

namespace rodeo {

namespace {

class tls_transport;

// The BIO under the SSL object: reads take the bytes the last socket read left in `in_`,
// writes append to `out_`. It never blocks: no input is a retryable read.
struct buffer_bio {
  static BIO_METHOD* method();
  static int read(BIO* b, char* out, int len);
  static int write(BIO* b, const char* in, int len);
  static long ctrl(BIO* b, int cmd, long num, void* ptr);
};

class tls_transport final : public transport {
 public:
  tls_transport(asio::ip::tcp::socket s, asio::ssl::context& ctx)
      : s_(std::move(s)), ssl_(SSL_new(ctx.native_handle())) {
    asio::error_code ignored;
    s_.set_option(asio::ip::tcp::no_delay(true), ignored);
    s_.non_blocking(true, ignored);  // reads happen only after the socket said it can
    if (!ssl_) return;
    BIO* bio = BIO_new(buffer_bio::method());
    BIO_set_data(bio, this);
    BIO_set_init(bio, 1);
    SSL_set_bio(ssl_, bio, bio);  // the SSL object owns it
    SSL_set_accept_state(ssl_);
  }
  ~tls_transport() override {
    if (ssl_) SSL_free(ssl_);
  }

  void handshake(std::function<void(const asio::error_code&, std::string)> done) override {
    if (!ssl_) return post_error(std::move(done), asio::error::no_memory);
    step_handshake(std::move(done));
  }

  void read(read_handler done) override {
    if (!held_in_.empty()) {
      // Records that came with the handshake's last flight, or more than one decryption
      // buffer holds: decrypted now, without waiting for the socket.
      return asio::post(s_.get_executor(), [this, done = std::move(done)]() mutable {
        std::string held = std::move(held_in_);
        held_in_.clear();
        in_ = held;
        deliver(std::move(done));
      });
    }
    if (failed_) return post_read_error(std::move(done));
    s_.async_wait(asio::socket_base::wait_read,
                  [this, done = std::move(done)](const asio::error_code& ec) mutable {
                    if (ec) return done(ec, {});
                    auto buf = io_buffers::socket_read();
                    asio::error_code rec;
                    std::size_t n = s_.read_some(asio::buffer(buf.data(), buf.size()), rec);
                    if (rec == asio::error::would_block || rec == asio::error::try_again)
                      return read(std::move(done));  // spurious wake-up
                    if (rec) return done(rec, {});
                    in_ = {buf.data(), n};
                    deliver(std::move(done));
                  });
  }

  // Each buffer is encrypted from where it lies (a shared body is read once, by the cipher).
  void write(const std::vector<asio::const_buffer>& bufs, io_handler done) override {
    ERR_clear_error();
    std::size_t total = 0;
    for (const auto& b : bufs) total += b.size();
    // Room for the records' framing (at most 29 bytes each with TLS 1.2 AES-GCM), so that
    // appending the records does not move the buffer.
    out_.reserve(out_.size() + total + (total / 16384 + bufs.size()) * 32);
    for (const auto& b : bufs) {
      std::size_t written = 0;
      if (b.size() == 0) continue;
      if (failed_ || SSL_write_ex(ssl_, b.data(), b.size(), &written) != 1 || written != b.size()) {
        if (!failed_) failed_ = ssl_error();
        return asio::post(s_.get_executor(),
                          [done = std::move(done), ec = failed_] { done(ec, 0); });
      }
    }
    write_done_ = std::move(done);
    write_size_ = total;
    kick(write_done_);
  }

  void close() override {
    // No close_notify round trip: the connection already said what it had to (GOAWAY or
    // the last response); waiting for the peer's would only delay the close.
    asio::error_code ignored;
    s_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    s_.close(ignored);
    // The write in flight holds its own copy of the handler until it completes (aborted);
    // this one would keep the connection, which owns this transport, alive in a cycle.
    write_done_ = nullptr;
  }
  asio::ip::tcp::socket& socket() override { return s_; }
  bool secure() const override { return true; }

 private:
  friend struct buffer_bio;

  // Runs the handshake as far as the bytes read allow; sends what it produced.
  void step_handshake(std::function<void(const asio::error_code&, std::string)> done) {
    ERR_clear_error();
    int r = SSL_do_handshake(ssl_);
    if (r == 1) {
      // The client's first records may have come in the same read as its Finished.
      if (!in_.empty()) held_in_.assign(in_);
      in_ = {};
      kick(done);  // the last flight (TLS 1.3: the session tickets) goes out meanwhile
      return done({}, tls::selected_alpn(ssl_));
    }
    int err = SSL_get_error(ssl_, r);
    in_ = {};
    if (err != SSL_ERROR_WANT_READ) {
      failed_ = ssl_error(err);
      kick(done);  // the alert, if any
      return done(failed_, {});
    }
    kick(done);
    s_.async_wait(asio::socket_base::wait_read,
                  [this, done = std::move(done)](const asio::error_code& ec) mutable {
                    if (ec) return done(ec, {});
                    auto buf = io_buffers::socket_read();
                    asio::error_code rec;
                    std::size_t n = s_.read_some(asio::buffer(buf.data(), buf.size()), rec);
                    if (rec && rec != asio::error::would_block && rec != asio::error::try_again)
                      return done(rec, {});
                    in_ = {buf.data(), rec ? 0 : n};
                    step_handshake(std::move(done));
                  });
  }

  // Decrypts what `in_` holds and hands the plain text to `done`; reads on when it held only
  // part of a record.
  void deliver(read_handler done) {
    auto plain = decrypt();
    kick(done);  // alerts or a KeyUpdate answer (RFC 8446 §4.6.3)
    if (plain.empty()) {
      if (failed_) return done(failed_, {});
      return read(std::move(done));
    }
    done({}, plain);  // an error after it is reported by the next read
  }

  // Decrypts all complete records in `in_` into the thread's plain-text buffer. OpenSSL
  // takes every byte of `in_` (what does not complete a record waits in its own buffer).
  std::string_view decrypt() {
    auto plain = io_buffers::tls_plain();
    std::size_t got = 0;
    while (got < plain.size()) {
      ERR_clear_error();
      std::size_t n = 0;
      if (SSL_read_ex(ssl_, plain.data() + got, plain.size() - got, &n) == 1) {
        got += n;
        continue;
      }
      int err = SSL_get_error(ssl_, 0);
      if (err == SSL_ERROR_WANT_READ) break;
      // close_notify (RFC 8446 §6.1) ends the stream like a TCP FIN.
      failed_ = err == SSL_ERROR_ZERO_RETURN ? asio::error::eof : ssl_error(err);
      break;
    }
    if (!failed_ && !in_.empty()) held_in_.assign(in_);  // the plain-text buffer is full
    in_ = {};
    return {plain.data(), got};
  }

  // Starts writing `out_` unless a write is in flight. `keep` is a handler of the caller's,
  // which holds the connection (and so this transport) alive until the write completes.
  template <class Keep>
  void kick(const Keep& keep) {
    if (sending_ || out_.empty()) return;
    sending_ = true;
    sending_buf_.swap(out_);
    out_.clear();
    asio::async_write(s_, asio::buffer(sending_buf_),
                      [this, keep](const asio::error_code& ec, std::size_t) {
                        sending_ = false;
                        // Freed, not kept: an idle connection holds no output buffer.
                        std::string{}.swap(sending_buf_);
                        if (ec && !failed_) failed_ = ec;
                        if (!ec && !out_.empty()) return kick(keep);
                        if (write_done_) {
                          auto done = std::move(write_done_);
                          write_done_ = nullptr;
                          done(ec, ec ? 0 : write_size_);
                        }
                      });
  }

  asio::error_code ssl_error(int err = SSL_ERROR_SSL) {
    unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (err == SSL_ERROR_SYSCALL && e == 0) return asio::ssl::error::stream_truncated;
    if (e == 0) return asio::error::connection_aborted;
    return {static_cast<int>(e), asio::error::get_ssl_category()};
  }

  template <class Done>
  void post_error(Done done, asio::error_code ec) {
    asio::post(s_.get_executor(), [done = std::move(done), ec] { done(ec, {}); });
  }
  void post_read_error(read_handler done) {
    asio::post(s_.get_executor(),
               [done = std::move(done), ec = failed_] { done(ec, std::string_view{}); });
  }

  asio::ip::tcp::socket s_;
  SSL* ssl_;
  std::string_view in_;      // bytes read, not yet taken by OpenSSL
  std::string held_in_;      // bytes read that the next read() decrypts first
  std::string out_;          // encrypted bytes waiting for the write in flight
  std::string sending_buf_;  // encrypted bytes being written
  bool sending_ = false;
  io_handler write_done_;  // the user's write, complete once its bytes are written
  std::size_t write_size_ = 0;
  asio::error_code failed_;  // TLS failed or the peer closed: later operations report it
};

BIO_METHOD* buffer_bio::method() {
  static BIO_METHOD* m = [] {
    BIO_METHOD* bm = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "rodeo buffer");
    BIO_meth_set_read(bm, read);
    BIO_meth_set_write(bm, write);
    BIO_meth_set_ctrl(bm, ctrl);
    return bm;
  }();
  return m;
}

int buffer_bio::read(BIO* b, char* out, int len) {
  auto* t = static_cast<tls_transport*>(BIO_get_data(b));
  BIO_clear_retry_flags(b);
  if (t->in_.empty()) {
    BIO_set_retry_read(b);
    return -1;
  }
  auto n = std::min(t->in_.size(), static_cast<std::size_t>(len));
  std::memcpy(out, t->in_.data(), n);
  t->in_.remove_prefix(n);
  return static_cast<int>(n);
}

int buffer_bio::write(BIO* b, const char* in, int len) {
  auto* t = static_cast<tls_transport*>(BIO_get_data(b));
  BIO_clear_retry_flags(b);
  t->out_.append(in, static_cast<std::size_t>(len));
  return len;
}

long buffer_bio::ctrl(BIO*, int cmd, long, void*) {
  // OpenSSL flushes after each flight; the output goes out when the caller kicks it.
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

}  // namespace

std::unique_ptr<transport> make_tls_transport(asio::ip::tcp::socket s, asio::ssl::context& ctx) {
  return std::make_unique<tls_transport>(std::move(s), ctx);
}

}  // namespace rodeo
