// Bearer auth on the /api/ routes (per-route middleware, app.cpp), a request id on every
// response, and the timing of every stream (a stream handler sees its end, streamed
// responses included).
#include <rodeo/log.hpp>

#include <atomic>

#include "app.hpp"

namespace first_app {

rodeo::middleware_ptr bearer_auth(std::map<std::string, std::string, std::less<>> tokens) {
  return rodeo::make_middleware("bearer_auth", [tokens](rodeo::req& req, rodeo::env&) {
    auto h = req.header("authorization").value_or("");
    auto user = h.starts_with("Bearer ") ? tokens.find(h.substr(7)) : tokens.end();
    if (user == tokens.end()) {
      req.reply_error(401, {{"www-authenticate", "Bearer realm=\"api\""}},
                      "missing or unknown bearer token");
      return rodeo::middleware_result::stop;
    }
    req.meta().set(caller{user->second});
    return rodeo::middleware_result::next;
  });
}

rodeo::middleware_ptr request_id() {
  auto ids = std::make_shared<std::atomic<std::uint64_t>>(0);
  return rodeo::make_middleware("request_id", [ids](rodeo::req& req, rodeo::env&) {
    req.set_resp_header("x-request-id", std::to_string(++*ids));
    return rodeo::middleware_result::next;
  });
}

rodeo::stream_handler_factory timing() {
  struct timing_h : rodeo::stream_handler {
    void on_end(const rodeo::stream_end& e) override {
      rodeo::log::app()->info("{} {} {} {} us", e.method, e.path, e.status, e.duration_us());
    }
  };
  return [](const rodeo::stream_info&) { return std::make_unique<timing_h>(); };
}

}  // namespace first_app
