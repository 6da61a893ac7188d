// The response state machine: every (state, event) pair and its outcome, as one table.
#include "rodeo/response_state.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <utility>

using namespace rodeo;

namespace {

using st = response_state;
using ev = response_event;
using fx = response_effect;

struct row {
  st from;
  ev event;
  st next;
  fx effect;
};

// The contract, one line per pair (6 states x 8 events = 48).
constexpr row table[] = {
    // idle: nothing sent
    {st::idle, ev::inform, st::informational, fx::send},
    {st::idle, ev::reply, st::done, fx::send},
    {st::idle, ev::stream_reply, st::headers_sent, fx::send},
    {st::idle, ev::body, st::idle, fx::not_streaming},
    {st::idle, ev::body_fin, st::idle, fx::not_streaming},
    {st::idle, ev::trailers, st::idle, fx::not_streaming},
    {st::idle, ev::reset, st::reset, fx::send},
    {st::idle, ev::crash, st::done, fx::reply_500},
    // informational: 1xx sent (RFC 9110 §15.2: any number of them before the final one)
    {st::informational, ev::inform, st::informational, fx::send},
    {st::informational, ev::reply, st::done, fx::send},
    {st::informational, ev::stream_reply, st::headers_sent, fx::send},
    {st::informational, ev::body, st::informational, fx::not_streaming},
    {st::informational, ev::body_fin, st::informational, fx::not_streaming},
    {st::informational, ev::trailers, st::informational, fx::not_streaming},
    {st::informational, ev::reset, st::reset, fx::send},
    {st::informational, ev::crash, st::done, fx::reply_500},
    // headers: stream_reply sent the head
    {st::headers_sent, ev::inform, st::headers_sent, fx::final_sent},
    {st::headers_sent, ev::reply, st::headers_sent, fx::final_sent},
    {st::headers_sent, ev::stream_reply, st::headers_sent, fx::final_sent},
    {st::headers_sent, ev::body, st::body, fx::send},
    {st::headers_sent, ev::body_fin, st::done, fx::send},
    {st::headers_sent, ev::trailers, st::done, fx::send},
    {st::headers_sent, ev::reset, st::reset, fx::send},
    {st::headers_sent, ev::crash, st::reset, fx::reset},
    // body: some of the streamed body sent
    {st::body, ev::inform, st::body, fx::final_sent},
    {st::body, ev::reply, st::body, fx::final_sent},
    {st::body, ev::stream_reply, st::body, fx::final_sent},
    {st::body, ev::body, st::body, fx::send},
    {st::body, ev::body_fin, st::done, fx::send},
    {st::body, ev::trailers, st::done, fx::send},
    {st::body, ev::reset, st::reset, fx::send},
    {st::body, ev::crash, st::reset, fx::reset},
    // done: the response is complete; a crash or reset now must not lose it
    {st::done, ev::inform, st::done, fx::final_sent},
    {st::done, ev::reply, st::done, fx::final_sent},
    {st::done, ev::stream_reply, st::done, fx::final_sent},
    {st::done, ev::body, st::done, fx::ended},
    {st::done, ev::body_fin, st::done, fx::ended},
    {st::done, ev::trailers, st::done, fx::ended},
    {st::done, ev::reset, st::done, fx::drop},
    {st::done, ev::crash, st::done, fx::drop},
    // reset: the stream is gone; whatever comes is dropped
    {st::reset, ev::inform, st::reset, fx::drop},
    {st::reset, ev::reply, st::reset, fx::drop},
    {st::reset, ev::stream_reply, st::reset, fx::drop},
    {st::reset, ev::body, st::reset, fx::drop},
    {st::reset, ev::body_fin, st::reset, fx::drop},
    {st::reset, ev::trailers, st::reset, fx::drop},
    {st::reset, ev::reset, st::reset, fx::drop},
    {st::reset, ev::crash, st::reset, fx::drop},
};

constexpr st all_states[] = {st::idle, st::informational, st::headers_sent,
                             st::body, st::done,          st::reset};
constexpr ev all_events[] = {ev::inform,       ev::body,     ev::body_fin, ev::reply,
                             ev::stream_reply, ev::trailers, ev::reset,    ev::crash};

}  // namespace

TEST_CASE("response_state: the table covers every (state, event) pair once") {
  std::set<std::pair<int, int>> seen;
  for (const auto& r : table)
    CHECK(seen.emplace(static_cast<int>(r.from), static_cast<int>(r.event)).second);
  for (auto s : all_states)
    for (auto e : all_events) {
      CAPTURE(to_string(s));
      CAPTURE(to_string(e));
      CHECK(seen.count({static_cast<int>(s), static_cast<int>(e)}) == 1);
    }
}

TEST_CASE("response_state: every transition and misuse gives the outcome of the table") {
  for (const auto& r : table) {
    CAPTURE(to_string(r.from));
    CAPTURE(to_string(r.event));
    auto step = next_response_state(r.from, r.event);
    CHECK(std::string{to_string(step.next)} == to_string(r.next));
    CHECK(std::string{to_string(step.effect)} == to_string(r.effect));
  }
}

TEST_CASE("response_state: a misuse or a drop leaves the state as it was") {
  for (auto s : all_states)
    for (auto e : all_events) {
      auto step = next_response_state(s, e);
      if (is_misuse(step.effect) || step.effect == fx::drop) CHECK(step.next == s);
    }
}

TEST_CASE("response_state: the predicates partition the states") {
  for (auto s : all_states) {
    CAPTURE(to_string(s));
    CHECK(int{before_final(s)} + int{streaming(s)} + int{response_over(s)} == 1);
  }
  CHECK(is_misuse(fx::final_sent));
  CHECK(is_misuse(fx::not_streaming));
  CHECK(is_misuse(fx::ended));
  CHECK_FALSE(is_misuse(fx::send));
  CHECK_FALSE(is_misuse(fx::drop));
  CHECK_FALSE(is_misuse(fx::reply_500));
  CHECK_FALSE(is_misuse(fx::reset));
}

TEST_CASE("response_state: a whole streamed response with 1xx and trailers") {
  auto s = st::idle;
  for (auto e : {ev::inform, ev::inform, ev::stream_reply, ev::body, ev::body, ev::trailers}) {
    auto step = next_response_state(s, e);
    REQUIRE(step.effect == fx::send);
    s = step.next;
  }
  CHECK(s == st::done);
}

TEST_CASE("response_state: every state, event and effect has its own name") {
  std::set<std::string> names;
  for (auto s : all_states) CHECK(names.insert(to_string(s)).second);
  std::set<std::string> event_names;
  for (auto e : all_events) CHECK(event_names.insert(to_string(e)).second);
  CHECK(std::string{to_string(st::reset)} == "reset");
  CHECK(std::string{to_string(ev::crash)} == "crash");
  CHECK(std::string{to_string(fx::ended)} == "misuse: ended");
}
