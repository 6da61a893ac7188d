#include "clock_h.hpp"

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/message.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <vector>

#include "rodeo/http/qs.hpp"
#include "rodeo/req.hpp"
#include "rodeo/sse.hpp"

namespace demo {

namespace {

using tick_atom = caf::atom_constant<caf::atom("tick")>;

// The most events ?count may ask for, and a number parsed whole or not at all.
constexpr std::uint64_t max_count = 1'000'000;

std::optional<std::uint64_t> whole_number(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Until the wall-clock second after `shown` starts, so that the clock changes when the second
// does. From the second shown, not from now: a tick shown early (the slack below) must not be
// followed by a second tick that shows the same second.
std::chrono::milliseconds until_second_after(std::chrono::sys_seconds shown,
                                             std::chrono::system_clock::time_point now) {
  const auto next = shown + std::chrono::seconds(1);
  return std::max(std::chrono::milliseconds(1),
                  std::chrono::ceil<std::chrono::milliseconds>(next - now));
}

}  // namespace

rodeo::sse_event clock_h::event(std::uint64_t n, std::int64_t unix_seconds,
                                const std::string& protocol) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  const std::string id = std::to_string(n);
  return {.id = id,
          .event = "tick",
          .data = "{\"n\":" + id + ",\"utc\":\"" + stamp + "\",\"protocol\":\"" + protocol + "\"}"};
}

rodeo::handler_result clock_h::init(rodeo::req& r) {
  auto pairs = rodeo::http::try_parse_qs(r.qs());
  if (!pairs) {
    r.reply(400, {{"content-type", "text/plain"}}, "malformed query string\n");
    return rodeo::handler_result::ok;
  }
  for (const auto& [name, value] : *pairs) {
    if (name != "count") continue;
    const auto n = whole_number(value);
    if (!n || *n == 0 || *n > max_count) {
      r.reply(400, {{"content-type", "text/plain"}},
              "count takes a number from 1 to " + std::to_string(max_count) + "\n");
      return rodeo::handler_result::ok;
    }
    remaining_ = *n;
  }
  // HTML §9.2.4: a reconnecting EventSource sends the last id it saw.
  if (auto last = r.header("last-event-id"))
    if (auto n = whole_number(*last); n && *n < max_count * 1000) next_id_ = *n + 1;

  if (r.method() == "HEAD") {
    // The event stream's headers, no event.
    rodeo::stream_events(r, std::vector<rodeo::sse_event>{}, true);
    return rodeo::handler_result::ok;
  }
  tick(r);
  return r.finished() ? rodeo::handler_result::ok : rodeo::handler_result::loop;
}

rodeo::handler_result clock_h::info(const caf::message& msg, rodeo::req& r) {
  if (msg.match_elements<tick_atom>()) tick(r);
  return r.finished() ? rodeo::handler_result::ok : rodeo::handler_result::loop;
}

// The server stops: a last event says so, then the framework ends the stream.
void clock_h::on_shutdown(rodeo::req& r) { r.stream_body("event: bye\ndata: {}\n\n"); }

void clock_h::tick(rodeo::req& r) {
  const auto now = std::chrono::system_clock::now();
  // A timer may fire a little early: 50 ms of slack still shows the second it is for.
  const auto shown = std::chrono::floor<std::chrono::seconds>(now + std::chrono::milliseconds(50));
  const bool last = remaining_ && --*remaining_ == 0;
  // The first event also starts the stream: 200, text/event-stream, no-cache (an
  // intermediary must not replay an old clock; HTML §9.2.5 advises it too).
  rodeo::stream_events(r, event(next_id_++, shown.time_since_epoch().count(), r.version()), last);
  if (!last) r.self()->delayed_send(r.self(), until_second_after(shown, now), tick_atom::value);
}

}  // namespace demo
