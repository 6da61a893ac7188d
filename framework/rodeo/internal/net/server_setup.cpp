#include "rodeo/internal/net/server_setup.hpp"

#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>

#include "rodeo/stream_handlers/metrics_stream_h.hpp"

namespace rodeo {

namespace {

// One line naming the option; empty when every option is usable.
std::string invalid_option(const listener_options& o) {
  const std::pair<const char*, std::chrono::milliseconds> durations[] = {
      {"idle_timeout", o.idle_timeout},     {"request_timeout", o.request_timeout},
      {"header_timeout", o.header_timeout}, {"body_timeout", o.body_timeout},
      {"send_timeout", o.send_timeout},     {"linger_timeout", o.linger_timeout},
      {"stop_timeout", o.stop_timeout}};
  for (const auto& [name, d] : durations)
    if (d.count() <= 0)
      return std::string{name} + " must be above 0 ms (it is " + std::to_string(d.count()) + " ms)";
  if (o.actor_time_slice.count() <= 0)
    return "actor_time_slice must be above 0 µs (it is " +
           std::to_string(o.actor_time_slice.count()) + " µs)";
  if (o.max_connection_output == 0) return "max_connection_output must be at least 1 byte";
  if (o.output_budget < o.max_connection_output)
    return "output_budget (" + std::to_string(o.output_budget) +
           " bytes) must be at least max_connection_output (" +
           std::to_string(o.max_connection_output) + " bytes)";
  return {};
}

}  // namespace

result<std::shared_ptr<server_context>> make_server_context(caf::actor_system& sys,
                                                            listener_options& opts,
                                                            std::size_t max_connections) {
  if (opts.chain.empty())
    return failure("the middleware chain is empty: use rodeo::mw::default_chain(routes)");
  if (auto bad = invalid_option(opts); !bad.empty()) return failure(bad);
  auto ctx = std::make_shared<server_context>(sys);
  ctx->limits = opts.limits;
  ctx->chain = std::make_shared<const middleware_chain>(std::move(opts.chain));
  if (opts.error_page)
    ctx->error_page = std::make_shared<const error_page_fn>(std::move(opts.error_page));
  ctx->server_header = opts.server_header;
  ctx->idle_timeout = opts.idle_timeout;
  ctx->request_timeout = opts.request_timeout;
  ctx->header_timeout = opts.header_timeout;
  ctx->body_timeout = opts.body_timeout;
  ctx->send_timeout = opts.send_timeout;
  ctx->linger_timeout = opts.linger_timeout;
  ctx->max_connections = max_connections;
  ctx->actor_placement = opts.actor_placement;
  if (const char* env = std::getenv("RODEO_ACTOR_PLACEMENT"); env && *env) {
    auto p = parse_actor_placement(env);
    if (!p)
      return failure(std::string{"RODEO_ACTOR_PLACEMENT must be workers or io_thread, not '"} +
                     env + "'");
    ctx->actor_placement = *p;
  }
  ctx->actor_time_slice = opts.actor_time_slice;
  ctx->max_connection_output = opts.max_connection_output;
  ctx->output_budget = opts.output_budget;
  ctx->delivery = {opts.push_policy, opts.early_hints_over_http1};
  ctx->push_cache_digest = opts.push_cache_digest;
  ctx->quic_retry = opts.quic_retry;
  ctx->quic_retry_handshakes = opts.quic_retry_handshakes;
  // The built-in stream handlers first: the access log sees the stream as the engine does,
  // after every user handler's changes (compressed sizes).
  if (opts.access_log) {
    auto format = access_log_format::parse(opts.access_log_format);
    if (!format) return failure(format.error());
    ctx->stream_handlers.push_back(access_log_stream_h(std::move(*format)));
  }
  if (opts.metrics) {
    ctx->metrics = std::move(opts.metrics);
    ctx->pushes = std::shared_ptr<rodeo::push_metrics>(ctx->metrics, &ctx->metrics->pushes());
  }
  ctx->stream_handlers.push_back(metrics_stream_h(ctx->metrics));
  for (auto& h : opts.stream_handlers) ctx->stream_handlers.push_back(std::move(h));
  return ctx;
}

}  // namespace rodeo
