// The live test server: the hello routes plus the handlers of test_handlers.cpp, on
// 127.0.0.1 with ephemeral ports by default. Prints "ports CLEAR TLS quic QUIC" once
// listening, which the Python harness reads (--quic-port N, --no-quic: the QUIC listener).
#include <cstdio>
#include <cstring>
#include <string>

#include "body_handlers.hpp"
#include "hello_h.hpp"
#include "matrix_handlers.hpp"
#include "push_handlers.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/stream_handlers/compress_stream_h.hpp"
#include "routing_handlers.hpp"
#include "test_handlers.hpp"
#include "websocket_handlers.hpp"

namespace {

// --request-id on: x-request-id on every response, the 500 of a crashed handler included.
struct request_id_h : rodeo::stream_handler {
  explicit request_id_h(rodeo::stream_id id) : id_("s" + std::to_string(id)) {}
  void on_command(rodeo::command& c, const rodeo::stream_next& next) override {
    if (auto* r = std::get_if<rodeo::cmd::reply>(&c)) r->fields.emplace_back("x-request-id", id_);
    if (auto* r = std::get_if<rodeo::cmd::stream_reply>(&c))
      r->fields.emplace_back("x-request-id", id_);
    next(c);
  }
  std::string id_;
};

}  // namespace

int main(int argc, char** argv) {
  rodeo::listener_options opts;
  bool set_request_id = false;
  opts.port = 0;
  opts.tls_port = 0;
  opts.access_log = false;
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--no-quic") {  // the one flag without a value
      opts.quic = false;
      --i;
      continue;
    }
    if (i + 1 >= argc) break;
    std::string value = argv[i + 1];
    if (flag == "--max-body")
      opts.limits.max_body = std::stoull(value);
    else if (flag == "--max-header")
      opts.limits.max_header_block = std::stoul(value);
    else if (flag == "--max-streams")
      opts.limits.max_concurrent_streams = std::stoul(value);
    else if (flag == "--idle-ms")
      opts.idle_timeout = std::chrono::milliseconds(std::stol(value));
    else if (flag == "--request-timeout-ms")
      opts.request_timeout = std::chrono::milliseconds(std::stol(value));
    else if (flag == "--header-timeout-ms")
      opts.header_timeout = std::chrono::milliseconds(std::stol(value));
    else if (flag == "--body-timeout-ms")
      opts.body_timeout = std::chrono::milliseconds(std::stol(value));
    else if (flag == "--send-timeout-ms")
      opts.send_timeout = std::chrono::milliseconds(std::stol(value));
    else if (flag == "--linger-ms")
      opts.linger_timeout = std::chrono::milliseconds(std::stol(value));
    else if (flag == "--max-connections")
      opts.max_connections = std::stoull(value);
    else if (flag == "--max-connection-output")
      opts.max_connection_output = std::stoull(value);
    else if (flag == "--output-budget")
      opts.output_budget = std::stoull(value);
    else if (flag == "--access-log")
      opts.access_log = value == "on";
    else if (flag == "--access-log-format")
      opts.access_log_format = value;
    else if (flag == "--request-id" && value == "on")
      opts.stream_handlers.push_back(
          [](const rodeo::stream_info& info) { return std::make_unique<request_id_h>(info.id); });
    else if (flag == "--push-policy" && live::parse_push_policy(value))
      opts.push_policy = *live::parse_push_policy(value);
    else if (flag == "--early-hints-http1" && value == "on")
      opts.early_hints_over_http1 = true;
    else if (flag == "--server-header")
      opts.server_header = value;
    else if (flag == "--stop-timeout-ms")
      opts.stop_timeout = std::chrono::milliseconds(std::stol(value));
    else if (flag == "--error-page" && value == "json")
      opts.error_page = [](const rodeo::error_info& e) -> std::optional<rodeo::error_body> {
        return rodeo::error_body{"application/json", "{\"error\":" + std::to_string(e.status) +
                                                         ",\"protocol\":\"" +
                                                         std::string{e.protocol} + "\"}"};
      };
    else if (flag == "--request-id-header" && value == "on")
      set_request_id = true;
    else if (flag == "--quic-retry" && rodeo::parse_quic_retry(value))
      opts.quic_retry = *rodeo::parse_quic_retry(value);
    else if (flag == "--quic-retry-handshakes")
      opts.quic_retry_handshakes = std::stoull(value);
    else if (flag == "--quic-port")
      opts.quic_port = static_cast<std::uint16_t>(std::stoul(value));
    else if (flag == "--compress" && value == "on")
      opts.stream_handlers.push_back(rodeo::compress_stream_h());
    else {
      std::fprintf(stderr, "rodeo_test_server: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  auto paths = live::routes();
  for (auto& p : live::push_routes()) paths.push_back(std::move(p));
  for (auto& p : live::routing_routes()) paths.push_back(std::move(p));
  for (auto& p : live::matrix_routes()) paths.push_back(std::move(p));
  for (auto& p : live::body_routes()) paths.push_back(std::move(p));
  for (auto& p : live::websocket_routes()) paths.push_back(std::move(p));
  paths.emplace_back("/hello/[:name]", rodeo::handler<hello::hello_h>());
  // The specific host first: host rules are tried in order. "[...]" rather than "_" for the
  // rest, so that a malformed host ("a..b") matches no rule and gets the router's 400.
  auto routes = rodeo::router::compile({live::api_host_rule(), {"[...]", paths}});
  if (!routes) {
    std::fprintf(stderr, "rodeo_test_server: invalid routes: %s\n", routes.error().c_str());
    return 2;
  }
  opts.chain = rodeo::mw::default_chain(*routes);
  opts.chain.insert(opts.chain.begin(), live::push_header_middleware());
  opts.chain.insert(opts.chain.begin(), live::rewrite_middleware());
  // --request-id-header on: a middleware sets x-request-id with set_resp_header, which every
  // response keeps, errors included.
  if (set_request_id)
    opts.chain.insert(opts.chain.begin(),
                      rodeo::make_middleware("request_id", [](rodeo::req& r, rodeo::env&) {
                        r.set_resp_header("x-request-id", "rid-" + std::to_string(r.stream()));
                        return rodeo::middleware_result::next;
                      }));
  return rodeo::serve(std::move(opts), [](const rodeo::listener& l) {
    live::set_push_metrics(&l.push_metrics());
    live::set_quic_metrics(&l.metrics().quic());
    std::printf("ports %u %u quic %u\n", l.port(), l.tls_port(), l.quic_port());
    std::fflush(stdout);
  });
}
