// Built against the installed package (tests/package) and with the source tree added as a
// subdirectory (tests/subproject): a handler, a route table, a listener on an ephemeral
// port, one request through it, then a graceful stop. Exits 0 when it all worked.
#include <rodeo/mw/default_chain.hpp>
#include <rodeo/rodeo.hpp>
#include <rodeo/router/compile.hpp>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include <cstdio>
#include <string>

struct hello_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.reply(200, {{"content-type", "text/plain"}}, "from the package");
    return rodeo::handler_result::ok;
  }
};

int main() {
  auto routes = rodeo::router::compile({{"_", {{"/", rodeo::handler<hello_h>()}}}});
  if (!routes) return 2;
  auto sys = rodeo::make_actor_system(1);
  rodeo::listener_options opts;
  opts.port = 0;
  opts.access_log = false;
  opts.chain = rodeo::mw::default_chain(*routes);
  auto l = rodeo::listener::start(*sys, std::move(opts));
  if (!l) return std::fprintf(stderr, "%s\n", l.error().c_str()), 2;

  asio::io_context io;
  asio::ip::tcp::socket s{io};
  s.connect({asio::ip::make_address("127.0.0.1"), (*l)->port()});
  std::string request = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  asio::write(s, asio::buffer(request));
  std::string response;
  asio::error_code ec;
  asio::read(s, asio::dynamic_buffer(response), ec);
  (*l)->stop();
  bool ok = response.find("from the package") != std::string::npos;
  std::printf("%s\n", ok ? "package user: ok" : response.c_str());
  return ok ? 0 : 1;
}
