#include "rodeo/listener.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <caf/actor_system.hpp>

#include <future>
#include <thread>
#include <vector>

#include "rodeo/connection.hpp"
#include "rodeo/log.hpp"
#include "rodeo/metrics_stream_h.hpp"
#include "rodeo/server_context.hpp"
#include "rodeo/tls/context.hpp"

namespace rodeo {

using asio::ip::tcp;

struct listener::impl {
  std::shared_ptr<server_context> ctx;
  std::vector<std::shared_ptr<io_worker>> workers;
  std::vector<std::thread> threads;
  std::unique_ptr<tcp::acceptor> clear, secure;
  std::shared_ptr<asio::ssl::context> tls;
  std::size_t next = 0;
  bool stopped = false;

  std::shared_ptr<io_worker> pick() { return workers[next++ % workers.size()]; }

  void accept(tcp::acceptor& a, bool tls_port) {
    auto w = pick();
    a.async_accept(w->io, [this, &a, w, tls_port](const asio::error_code& ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted || ctx->stopping) return;
      if (!ec) {
        auto t = tls_port ? make_tls_transport(std::move(s), *tls) : make_tcp_transport(std::move(s));
        auto c = std::make_shared<connection>(ctx, w, std::move(t));
        asio::post(w->io, [c] { c->start(); });
      } else {
        log::net()->warn("accept failed: {}", ec.message());
      }
      accept(a, tls_port);
    });
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
  if (opts.chain.empty())
    return failure("the middleware chain is empty: use rodeo::mw::default_chain(routes)");
  if (opts.cert_file.empty() != opts.key_file.empty())
    return failure("give both a certificate and a key, or neither (for a self-signed one)");

  auto p = std::make_unique<impl>();
  p->ctx = std::make_shared<server_context>(sys);
  p->ctx->limits = opts.limits;
  p->ctx->chain = std::make_shared<const middleware_chain>(std::move(opts.chain));
  p->ctx->idle_timeout = opts.idle_timeout;
  p->ctx->request_timeout = opts.request_timeout;
  p->ctx->header_timeout = opts.header_timeout;
  p->ctx->body_timeout = opts.body_timeout;
  p->ctx->send_timeout = opts.send_timeout;
  p->ctx->linger_timeout = opts.linger_timeout;
  p->ctx->max_connections = opts.max_connections;
  p->ctx->max_connection_output = opts.max_connection_output;
  p->ctx->output_budget = opts.output_budget;
  // The built-in stream handlers first: the access log sees the stream as the engine does,
  // after every user handler's changes (compressed sizes).
  if (opts.access_log) {
    auto format = access_log_format::parse(opts.access_log_format);
    if (!format) return failure(format.error());
    p->ctx->stream_handlers.push_back(access_log_stream_h(std::move(*format)));
  }
  p->ctx->stream_handlers.push_back(push_funnel_stream_h(p->ctx->pushes));
  for (auto& h : opts.stream_handlers) p->ctx->stream_handlers.push_back(std::move(h));
  for (unsigned i = 0; i < opts.io_threads; ++i) p->workers.push_back(std::make_shared<io_worker>());

  if (opts.tls_port) {
    auto tls = opts.cert_file.empty()
                   ? tls::self_signed_context({"localhost", "127.0.0.1", "::1", opts.bind})
                   : tls::server_context(opts.cert_file, opts.key_file);
    if (!tls) return failure(tls.error());
    p->tls = *tls;
  }
  auto& io0 = p->workers.front()->io;
  if (opts.port) {
    auto a = open_acceptor(io0, opts.bind, *opts.port, "clear-text port");
    if (!a) return failure(a.error());
    p->clear = std::move(*a);
  }
  if (opts.tls_port) {
    auto a = open_acceptor(io0, opts.bind, *opts.tls_port, "TLS port");
    if (!a) return failure(a.error());
    p->secure = std::move(*a);
  }
  if (p->clear) p->accept(*p->clear, false);
  if (p->secure) p->accept(*p->secure, true);
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
  return impl_->clear ? impl_->clear->local_endpoint().port() : 0;
}

std::uint16_t listener::tls_port() const {
  return impl_->secure ? impl_->secure->local_endpoint().port() : 0;
}

const rodeo::push_metrics& listener::push_metrics() const { return *impl_->ctx->pushes; }

void listener::stop(std::chrono::milliseconds deadline) {
  auto& p = *impl_;
  if (p.stopped) return;
  p.stopped = true;
  p.ctx->stopping = true;
  // Acceptors belong to the first io thread: close them there.
  std::promise<void> closed;
  asio::post(p.workers.front()->io, [&p, &closed] {
    asio::error_code ignored;
    if (p.clear) p.clear->close(ignored);
    if (p.secure) p.secure->close(ignored);
    closed.set_value();
  });
  closed.get_future().wait();

  p.for_each_connection([](connection& c) { c.shutdown(); });
  auto until = std::chrono::steady_clock::now() + deadline;
  while (p.connection_count() > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  p.for_each_connection([](connection& c) { c.close(); });

  for (auto& w : p.workers) w->io.stop();
  for (auto& t : p.threads) t.join();
  p.threads.clear();
}

}  // namespace rodeo
