#include "rodeo/listener.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <caf/actor_system.hpp>

#include <atomic>
#include <cerrno>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "rodeo/internal/net/connection.hpp"
#include "rodeo/internal/net/fd_limit.hpp"
#include "rodeo/internal/net/log_throttle.hpp"
#include "rodeo/internal/net/server_context.hpp"
#include "rodeo/internal/net/server_setup.hpp"
#include "rodeo/internal/net/tls/context.hpp"
#include "rodeo/log.hpp"
#ifdef RODEO_HTTP3
#include "rodeo/internal/net/quic/endpoint.hpp"
#include "rodeo/internal/net/quic/tls_credentials.hpp"
#endif

namespace rodeo {

using asio::ip::tcp;

namespace {

// How long an acceptor rests after a failed accept: long enough that a process out of
// descriptors does not spin on accept (each retry fails at once), short enough that clients
// arriving once descriptors are free again barely notice.
constexpr std::chrono::milliseconds accept_pause{100};
// Sockets closed from the backlog per out-of-descriptors event, at most.
constexpr int max_shed = 4096;

// Out of descriptors (the process's or the system's) or of kernel memory: retrying at once
// fails again, and a waiting client can only be closed, through the reserve descriptor.
bool out_of_resources(const asio::error_code& ec) {
  if (ec.category() != asio::system_category()) return false;
  const int v = ec.value();
  return v == EMFILE || v == ENFILE || v == ENOBUFS || v == ENOMEM;
}

}  // namespace

struct listener::impl {
  /// One listening port: its acceptor and the timer of its pauses.
  struct port_state {
    std::unique_ptr<tcp::acceptor> acceptor;
    std::unique_ptr<asio::steady_timer> pause;
    bool tls = false;
    const char* what = "";
  };

  std::shared_ptr<server_context> ctx;
  std::vector<std::shared_ptr<io_worker>> workers;
  std::vector<std::thread> threads;
  port_state clear, secure;
  std::shared_ptr<asio::ssl::context> tls;
#ifdef RODEO_HTTP3
  std::shared_ptr<quic::endpoint> quic;  ///< on the first io thread
#endif
  std::size_t next = 0;
  bool stopped = false;
  // The acceptors' io thread (the first) owns the reserve and the throttles.
  reserve_descriptor reserve;
  log_throttle failure_log;
  std::size_t shed_since_line = 0;  // backlog sockets closed since failure_log's last line
  std::atomic<std::uint64_t> refused{0};

  std::shared_ptr<io_worker> pick() { return workers[next++ % workers.size()]; }

  void accept(port_state& ps) {
    auto w = pick();
    ps.acceptor->async_accept(w->io, [this, &ps, w](const asio::error_code& ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted || ctx->stopping) return;
      if (ec) {
        accept_failed(ps, ec);
        return;
      }
      if (ctx->open_connections.load(std::memory_order_relaxed) < ctx->max_connections) {
        start_connection(w, std::move(s), ps.tls);
      } else {
        // At the limit the new connection may take the place of one that has sent no
        // request yet: a slowloris holds connections without ever sending one, a real
        // client sends its request at once. Decided on the new connection's io thread,
        // which owns the connections it looks at.
        asio::post(w->io, [this, w, s = std::move(s), with_tls = ps.tls]() mutable {
          if (evict_one_waiting(*w))
            start_connection(w, std::move(s), with_tls);
          else
            refuse(*w, std::move(s));
        });
      }
      accept(ps);
    });
  }

  void start_connection(const std::shared_ptr<io_worker>& w, tcp::socket s, bool with_tls) {
    auto t = with_tls ? make_tls_transport(std::move(s), *tls) : make_tcp_transport(std::move(s));
    auto c = std::make_shared<connection>(ctx, w, std::move(t));
    // Counted once made; ~connection uncounts it.
    ctx->open_connections.fetch_add(1, std::memory_order_relaxed);
    asio::post(w->io, [c] { c->start(); });
  }

  // On w's io thread: closes the oldest of w's connections that has sent no request yet.
  static bool evict_one_waiting(io_worker& w) {
    while (!w.awaiting_request.empty()) {
      auto c = w.awaiting_request.front().lock();
      w.awaiting_request.pop_front();
      if (c && c->awaiting_request()) {
        c->evict();
        return true;
      }
    }
    return false;
  }

  // Beyond max_connections with every connection busy: closed at once, so the client learns
  // it now rather than after waiting in the backlog. On w's io thread.
  void refuse(io_worker& w, tcp::socket s) {
    asio::error_code ignored;
    s.close(ignored);
    const auto total = refused.fetch_add(1, std::memory_order_relaxed) + 1;
    if (w.refusals.note(std::chrono::steady_clock::now()))
      log::net()->warn("max_connections {} reached: new connection closed ({} closed so far)",
                       ctx->max_connections, total);
  }

  // Any failed accept pauses its acceptor: a failure that repeats (no descriptors, no
  // memory) would otherwise be retried in a loop that takes a core and floods the log.
  void accept_failed(port_state& ps, const asio::error_code& ec) {
    if (out_of_resources(ec)) shed_since_line += shed_backlog(*ps.acceptor);
    if (auto left_out = failure_log.note(std::chrono::steady_clock::now())) {
      log::net()->warn(
          "accept on the {} failed: {}, with {} connections open; {} waiting connections "
          "closed, accepts paused {} ms each time ({} more failures since the last line)",
          ps.what, ec.message(), ctx->open_connections.load(std::memory_order_relaxed),
          shed_since_line, accept_pause.count(), *left_out);
      shed_since_line = 0;
    }
    ps.pause->expires_after(accept_pause);
    ps.pause->async_wait([this, &ps](const asio::error_code& wait_ec) {
      if (wait_ec || ctx->stopping) return;
      accept(ps);
    });
  }

  // Frees the reserve descriptor to accept, and close, every socket waiting in the backlog,
  // so that their clients see a close now instead of hanging until they time out.
  std::size_t shed_backlog(tcp::acceptor& a) {
    std::size_t n = 0;
    reserve.release();
    for (int i = 0; i < max_shed; ++i) {
      // The acceptor is non-blocking (open_acceptor): an empty backlog is EAGAIN.
      const int fd = ::accept4(a.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) break;
      ::close(fd);
      ++n;
    }
    reserve.acquire();  // may fail while still out: the next event tries again
    return n;
  }

  // Runs `f(connection&)` on every connection, each on its own io thread, and waits.
  template <class F>
  void for_each_connection(F f) {
    std::vector<std::future<void>> done;
    for (auto& w : workers) {
      auto p = std::make_shared<std::promise<void>>();
      done.push_back(p->get_future());
      asio::post(w->io, [&w, f, p] {
        auto copy = w->connections;  // f may close, which erases from the set
        for (auto& c : copy) f(*c);
        p->set_value();
      });
    }
    for (auto& d : done) d.wait();
  }

  std::size_t connection_count() {
    std::size_t n = 0;
    for_each_connection([&n](connection&) { ++n; });  // posts run one at a time per worker
    return n;
  }
};

namespace {

result<std::unique_ptr<tcp::acceptor>> open_acceptor(asio::io_context& io, const std::string& bind,
                                                     std::uint16_t port, const char* what) {
  asio::error_code ec;
  auto addr = asio::ip::make_address(bind, ec);
  if (ec) return failure("invalid bind address '" + bind + "': " + ec.message());
  auto a = std::make_unique<tcp::acceptor>(io);
  tcp::endpoint ep{addr, port};
  a->open(ep.protocol(), ec);
  if (!ec) a->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) a->bind(ep, ec);
  if (!ec) a->listen(asio::socket_base::max_listen_connections, ec);
  // Non-blocking, so that shedding the backlog stops at EAGAIN.
  if (!ec) a->non_blocking(true, ec);
  if (ec)
    return failure(std::string{"cannot listen on "} + what + " " + bind + ":" +
                   std::to_string(port) + ": " + ec.message());
  return a;
}

}  // namespace

result<std::unique_ptr<listener>> listener::start(caf::actor_system& sys, listener_options opts) {
  if (!opts.port && !opts.tls_port)
    return failure("no port to listen on: set a clear-text port, a TLS port, or both");
  if (opts.io_threads == 0) return failure("io_threads must be at least 1");
  if (opts.cert_file.empty() != opts.key_file.empty())
    return failure("give both a certificate and a key, or neither (for a self-signed one)");

  const auto fds = raise_descriptor_limit();
  if (fds.soft != fds.before)
    log::net()->debug("descriptor limit raised from {} to {}", fds.before, fds.soft);
  const std::size_t max_connections =
      opts.max_connections ? opts.max_connections : default_max_connections(fds.soft);
  log::net()->debug("descriptor limit {}, max_connections {}", fds.soft, max_connections);

  auto p = std::make_unique<impl>();
  auto ctx = make_server_context(sys, opts, max_connections);
  if (!ctx) return failure(ctx.error());
  p->ctx = std::move(*ctx);
  for (unsigned i = 0; i < opts.io_threads; ++i)
    p->workers.push_back(std::make_shared<io_worker>());

  if (opts.tls_port) {
    auto tls = opts.cert_file.empty()
                   ? tls::self_signed_context({"localhost", "127.0.0.1", "::1", opts.bind})
                   : tls::server_context(opts.cert_file, opts.key_file);
    if (!tls) return failure(tls.error());
    p->tls = *tls;
    p->ctx->tls_names = std::make_shared<const tls::served_names>(tls::certificate_names(*p->tls));
    p->ctx->allow_misdirected = opts.allow_misdirected;
  }
  auto& io0 = p->workers.front()->io;
  auto open_port = [&](impl::port_state& ps, std::uint16_t port, bool tls_port,
                       const char* what) -> result<bool> {
    auto a = open_acceptor(io0, opts.bind, port, what);
    if (!a) return failure(a.error());
    ps.acceptor = std::move(*a);
    ps.pause = std::make_unique<asio::steady_timer>(io0);
    ps.tls = tls_port;
    ps.what = what;
    return true;
  };
  if (opts.port) {
    auto ok = open_port(p->clear, *opts.port, false, "clear-text port");
    if (!ok) return failure(ok.error());
  }
  if (opts.tls_port) {
    auto ok = open_port(p->secure, *opts.tls_port, true, "TLS port");
    if (!ok) return failure(ok.error());
  }
  if (opts.tls_port && opts.quic) {
#ifdef RODEO_HTTP3
    auto creds = opts.cert_file.empty()
                     ? quic::tls_credentials::from_context(*p->tls)
                     : quic::tls_credentials::from_files(opts.cert_file, opts.key_file);
    if (!creds) return failure(creds.error());
    // By default the UDP port has the TLS port's number (RFC 9114 §3.1.1 allows any).
    auto port = opts.quic_port.value_or(p->secure.acceptor->local_endpoint().port());
    auto ep = quic::endpoint::open(p->ctx, p->workers.front(), *creds, opts.bind, port);
    if (!ep) return failure(ep.error());
    p->quic = *ep;
    if (opts.alt_svc) p->ctx->alt_svc = "h3=\":" + std::to_string(p->quic->port()) + "\"";
#else
    log::net()->debug("built without HTTP/3 (RODEO_HTTP3=OFF): no QUIC listener");
#endif
  }
  if (!p->reserve.acquire()) return failure("cannot open /dev/null: out of descriptors at start");
  if (p->clear.acceptor) p->accept(p->clear);
  if (p->secure.acceptor) p->accept(p->secure);
#ifdef RODEO_HTTP3
  if (p->quic) p->quic->start();
#endif
  for (auto& w : p->workers) {
    p->threads.emplace_back([&io = w->io] {
      auto guard = asio::make_work_guard(io);
      io.run();
    });
  }
  return std::unique_ptr<listener>(new listener(std::move(p)));
}

listener::listener(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

listener::~listener() { stop(); }

std::uint16_t listener::port() const {
  return impl_->clear.acceptor ? impl_->clear.acceptor->local_endpoint().port() : 0;
}

std::uint16_t listener::tls_port() const {
  return impl_->secure.acceptor ? impl_->secure.acceptor->local_endpoint().port() : 0;
}

std::uint16_t listener::quic_port() const {
#ifdef RODEO_HTTP3
  return impl_->quic ? impl_->quic->port() : 0;
#else
  return 0;
#endif
}

const rodeo::push_metrics& listener::push_metrics() const { return *impl_->ctx->pushes; }

const metrics_registry& listener::metrics() const { return *impl_->ctx->metrics; }

std::uint64_t listener::refused_connections() const {
  return impl_->refused.load(std::memory_order_relaxed);
}

void listener::stop(std::chrono::milliseconds deadline) {
  auto& p = *impl_;
  if (p.stopped) return;
  p.stopped = true;
  p.ctx->stopping = true;
  // Acceptors belong to the first io thread: close them there.
  std::promise<void> closed;
  asio::post(p.workers.front()->io, [&p, &closed] {
    asio::error_code ignored;
    for (auto* ps : {&p.clear, &p.secure}) {
      if (ps->acceptor) ps->acceptor->close(ignored);
      if (ps->pause) ps->pause->cancel();
    }
    closed.set_value();
  });
  closed.get_future().wait();

  p.for_each_connection([](connection& c) { c.shutdown(); });
#ifdef RODEO_HTTP3
  // QUIC connections: GOAWAY (RFC 9114 §5.2), then CONNECTION_CLOSE once their streams end.
  auto on_quic = [&p](auto f) {
    if (!p.quic) return;
    std::promise<void> done;
    asio::post(p.workers.front()->io, [&] {
      f(*p.quic);
      done.set_value();
    });
    done.get_future().wait();
  };
  on_quic([](quic::endpoint& e) { e.shutdown(); });
  auto quic_count = [&] {
    std::size_t n = 0;
    on_quic([&n](quic::endpoint& e) { n = e.connection_count(); });
    return n;
  };
#else
  auto quic_count = [] { return std::size_t{0}; };
#endif
  auto until = std::chrono::steady_clock::now() + deadline;
  while ((p.connection_count() > 0 || quic_count() > 0) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  p.for_each_connection([](connection& c) { c.close(); });
#ifdef RODEO_HTTP3
  on_quic([](quic::endpoint& e) { e.close(); });
#endif

  for (auto& w : p.workers) w->io.stop();
  for (auto& t : p.threads) t.join();
  p.threads.clear();
}

}  // namespace rodeo
