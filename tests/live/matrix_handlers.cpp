#include "matrix_handlers.hpp"

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

namespace live {

namespace {

using rodeo::handler_result;
using rodeo::req;

constexpr std::size_t piece_size = 64 * 1024;

// GET /stream-big/:n: n bytes of 'a' + i % 26 (the pattern of /big/:n), streamed in 64 KiB
// pieces, each sent once the previous ones drained, then a trailer with the byte count. No
// content-length: the length is only known at the end of the stream.
struct stream_big_h : rodeo::handler_base {
  std::size_t total = 0, next = 0;

  handler_result init(req& r) override {
    total = static_cast<std::size_t>(std::max<std::int64_t>(0, r.binding<std::int64_t>("n")));
    // Field names as a handler may write them: HTTP/2 sends them lowercase (RFC 9113 §8.2.1)
    // and drops connection-specific fields such as keep-alive (§8.2.2); a client that got
    // either would treat the response as malformed.
    r.stream_reply(200, {{"Content-Type", "application/octet-stream"},
                         {"Trailer", "X-Body-Length"},
                         {"Keep-Alive", "timeout=5"}});
    send_next(r);
    return handler_result::ok;
  }

  void send_next(req& r) {
    const std::size_t n = std::min(piece_size, total - next);
    std::string piece(n, 'x');
    for (std::size_t i = 0; i < n; ++i) piece[i] = static_cast<char>('a' + (next + i) % 26);
    next += n;
    r.stream_body(std::move(piece));
    if (next == total) {
      r.stream_trailers({{"X-Body-Length", std::to_string(total)}});
      return;
    }
    // The handler object lives as long as the request actor, so `this` outlives the callback.
    r.on_drain([this](req& again) { send_next(again); });
  }
};

// The requests of each /meet group waiting for the rest of their group.
std::mutex groups_mutex;
std::map<std::string, std::vector<caf::actor>> groups;

// GET /meet/:group/:n: a loop handler that answers only once n requests of its group are in
// their handlers at the same time, so a client that gets every answer sent them concurrently
// and the server ran them concurrently. Replies "met N stream=S version=V\n" (the stream id
// tells whether the requests shared one connection); 504 if the group never completes.
struct meet_h : rodeo::handler_base {
  std::string group;

  handler_result init(req& r) override {
    group = r.binding<std::string>("group");
    const auto n = static_cast<std::size_t>(r.binding<std::int64_t>("n"));
    std::vector<caf::actor> complete;
    {
      std::lock_guard<std::mutex> g{groups_mutex};
      auto& waiting = groups[group];
      waiting.push_back(caf::actor_cast<caf::actor>(r.self()));
      if (waiting.size() >= n) {
        complete = std::move(waiting);
        groups.erase(group);
      }
    }
    for (const auto& a : complete) r.self()->send(a, std::string{"met"});
    return handler_result::loop;
  }

  handler_result info(const caf::message& m, req& r) override {
    if (m.match_elements<std::string>() && m.get_as<std::string>(0) == "met") {
      r.reply(200, {{"content-type", "text/plain"}},
              "met " + std::to_string(r.binding<std::int64_t>("n")) +
                  " stream=" + std::to_string(r.stream()) + " version=" + r.version() + "\n");
      return handler_result::ok;
    }
    return handler_result::loop;
  }

  std::chrono::milliseconds loop_timeout() const override { return std::chrono::seconds(20); }

  void timeout(req& r) override {
    leave(r);
    r.reply(504, {{"content-type", "text/plain"}}, "group " + group + " never completed\n");
  }

  void terminate(rodeo::terminate_reason, req& r) override { leave(r); }

  // A request that ends before its group completes leaves it (no handle to a finished actor
  // stays behind).
  void leave(req& r) {
    std::lock_guard<std::mutex> g{groups_mutex};
    auto it = groups.find(group);
    if (it == groups.end()) return;
    auto& waiting = it->second;
    const auto me = r.self()->address();
    waiting.erase(std::remove_if(waiting.begin(), waiting.end(),
                                 [&](const caf::actor& a) { return a.address() == me; }),
                  waiting.end());
    if (waiting.empty()) groups.erase(it);
  }
};

}  // namespace

std::vector<rodeo::router::path_rule> matrix_routes() {
  using rodeo::router::int_c;
  return {
      {"/stream-big/:n", {{"n", int_c}}, rodeo::handler<stream_big_h>()},
      {"/meet/:group/:n", {{"n", int_c}}, rodeo::handler<meet_h>()},
  };
}

}  // namespace live
