// The examples of docs/guide.md, "Stream handlers", compiled and exercised through a stream's
// chain as a connection runs it. The code between "// guide: NAME begin" and
// "// guide: NAME end" is a ```cpp block of the guide (tests/docs/check_guide.py).
#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rodeo/internal/stream/stream_chain.hpp"
#include "rodeo/listener.hpp"
#include "rodeo/stream_handler.hpp"
#include "rodeo/stream_handlers/compress_stream_h.hpp"
#include "rodeo/stream_handlers/metrics_stream_h.hpp"

namespace guide {

// guide: stream-request-id begin
// Adds x-request-id to every response, the 500 of a crashed handler included.
struct request_id_h : rodeo::stream_handler {
  explicit request_id_h(std::string id) : id_(std::move(id)) {}

  void on_command(rodeo::command& c, const rodeo::stream_next& next) override {
    if (auto* r = std::get_if<rodeo::cmd::reply>(&c)) r->fields.emplace_back("x-request-id", id_);
    if (auto* r = std::get_if<rodeo::cmd::stream_reply>(&c))
      r->fields.emplace_back("x-request-id", id_);
    next(c);  // on to the next handler, at last the connection
  }

  std::string id_;
};

// The factory: one handler per stream, made on the connection's io thread.
rodeo::stream_handler_factory request_ids() {
  auto counter = std::make_shared<std::atomic<std::uint64_t>>(0);
  return [counter](const rodeo::stream_info&) {
    return std::make_unique<request_id_h>("r" + std::to_string(++*counter));
  };
}
// guide: stream-request-id end

// guide: stream-listener begin
rodeo::listener_options with_stream_handlers(rodeo::middleware_chain chain,
                                             std::atomic<std::uint64_t>& failures) {
  rodeo::listener_options opts;
  opts.port = 8080;
  opts.chain = std::move(chain);
  // The built-in access log, with the time to first byte added.
  opts.access_log_format =
      "$remote_addr \"$method $request_uri\" $status $bytes_out ${ttfb_us}us $protocol$ended";
  opts.stream_handlers.push_back(request_ids());
  opts.stream_handlers.push_back(rodeo::compress_stream_h());  // gzip and br, off by default
  opts.stream_handlers.push_back(rodeo::metrics_stream_h([&failures](const rodeo::stream_end& e) {
    if (e.status >= 500 || e.reason != rodeo::stream_end_reason::normal) failures.fetch_add(1);
  }));
  return opts;
}
// guide: stream-listener end

}  // namespace guide

TEST_CASE("guide: stream handlers tag every response, 500s included, and count failures") {
  std::atomic<std::uint64_t> failures{0};
  auto opts = guide::with_stream_handlers({}, failures);
  REQUIRE(opts.stream_handlers.size() == 3);
  rodeo::request_head head{"GET", "http", "h", "/", "", "HTTP/1.1", {{"accept-encoding", "gzip"}},
                           {},    false};
  rodeo::stream_info info{1, &head, "http/1.1", "127.0.0.1:1", false};
  std::vector<rodeo::command> sent;
  {
    rodeo::stream_chain chain(opts.stream_handlers, info,
                              [&](rodeo::command& c) { sent.push_back(c); });
    chain.send(rodeo::cmd::crash{});  // the handler threw before replying
    chain.finish(rodeo::stream_end_reason::normal);
  }
  {
    rodeo::stream_chain chain(opts.stream_handlers, info,
                              [&](rodeo::command& c) { sent.push_back(c); });
    chain.send(rodeo::cmd::reply{200, {{"content-type", "text/plain"}}, std::string(1000, 'a')});
    chain.finish(rodeo::stream_end_reason::normal);
  }
  REQUIRE(sent.size() == 2);
  auto& crashed = std::get<rodeo::cmd::reply>(sent[0]);
  CHECK(crashed.status == 500);
  CHECK(rodeo::find_header(crashed.fields, "x-request-id") == "r1");
  auto& ok = std::get<rodeo::cmd::reply>(sent[1]);
  CHECK(rodeo::find_header(ok.fields, "x-request-id") == "r2");
  CHECK(rodeo::find_header(ok.fields, "content-encoding") == "gzip");
  CHECK(failures == 1);
}
