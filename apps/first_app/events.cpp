// GET /api/events?n=5&every=1000: server-sent events, the user count every `every` ms, n
// times; on a graceful stop, a last "bye" event.
#include <rodeo/loop_handler.hpp>
#include <rodeo/sse.hpp>

#include <nlohmann/json.hpp>

#include "app.hpp"

namespace first_app {

using tick_atom = caf::atom_constant<caf::atom("tick")>;

struct events_h : rodeo::handler_base {
  explicit events_h(store_ptr s) : store_(std::move(s)) {}

  rodeo::handler_result init(rodeo::req& req) override {
    using rodeo::http::int_c;
    auto qs =
        req.match_qs({{"n", {int_c}, std::int64_t{5}}, {"every", {int_c}, std::int64_t{1000}}});
    left_ = std::any_cast<std::int64_t>(qs.at("n"));
    every_ = std::chrono::milliseconds{std::any_cast<std::int64_t>(qs.at("every"))};
    return tick(req);
  }

  rodeo::handler_result info(const caf::message& msg, rodeo::req& req) override {
    return msg.match_elements<tick_atom>() ? tick(req) : rodeo::handler_result::loop;
  }

  void on_shutdown(rodeo::req& req) override {
    rodeo::stream_events(req, {.event = "bye", .data = count()});
  }

 private:
  rodeo::handler_result tick(rodeo::req& req) {
    --left_;
    rodeo::stream_events(req, {.data = count()}, left_ <= 0);  // starts the stream first
    if (left_ <= 0) return rodeo::handler_result::ok;
    req.self()->delayed_send(req.self(), every_, tick_atom::value);
    return rodeo::handler_result::loop;
  }

  std::string count() const {
    return nlohmann::json{{"users", store_->list().size()}, {"left", left_}}.dump();
  }

  store_ptr store_;
  std::int64_t left_ = 0;
  std::chrono::milliseconds every_{1000};
};

rodeo::route_target events_route(store_ptr s) {
  return rodeo::methods{.get = rodeo::handler<events_h>(std::move(s))};
}

}  // namespace first_app
