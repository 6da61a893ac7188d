#include "clock_h.hpp"

#include <caf/atom.hpp>

#include <chrono>

#include "rodeo/log.hpp"
#include "rodeo/loop_handler.hpp"

namespace clock_app {

namespace {

using tick_atom = caf::atom_constant<caf::atom("tick")>;

}  // namespace

std::string clock_event(std::time_t t) {
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string{"data: "} + buf + "\n\n";
}

rodeo::handler_result clock_h::init(rodeo::req& req) {
  if (req.method() != "GET") {
    req.reply(405, {{"allow", "GET"}});
    return rodeo::handler_result::ok;
  }
  // no-cache: an event stream is never a stored response (proxies must not buffer it).
  req.stream_reply(200, {{"content-type", "text/event-stream"}, {"cache-control", "no-cache"}});
  counted_ = true;
  open_->fetch_add(1);
  tick(req);
  return rodeo::handler_result::loop;
}

rodeo::handler_result clock_h::info(const caf::message& msg, rodeo::req& req) {
  if (msg.match_elements<tick_atom>()) tick(req);
  // Never done on our own: the stream ends when the client leaves (terminate(reset)).
  return rodeo::handler_result::loop;
}

void clock_h::tick(rodeo::req& req) {
  req.stream_body(clock_event(std::time(nullptr)));
  // The next tick is a message to ourselves: the actor stays free between events, and each
  // message restarts the loop timeout, so the stream outlives it.
  req.self()->delayed_send(req.self(), std::chrono::seconds(1), tick_atom::value);
}

void clock_h::terminate(rodeo::terminate_reason why, rodeo::req&) {
  if (!counted_) return;
  const int left = open_->fetch_sub(1) - 1;
  rodeo::log::app()->info("clock closed ({}), {} open", rodeo::to_string(why), left);
}

rodeo::handler_result clients_h::init(rodeo::req& req) {
  req.reply(200, {{"content-type", "text/plain"}}, std::to_string(open_->load()) + "\n");
  return rodeo::handler_result::ok;
}

}  // namespace clock_app
