#pragma once
// Test support for tests/http1: a protocol_events that records what an engine reports, and a
// fixture holding an engine with a fixed date so that responses can be compared byte for byte.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "rodeo/internal/protocol/http1/engine.hpp"
#include "rodeo/internal/protocol/protocol.hpp"

namespace rodeo::test {

/// The date every fixture response carries.
inline constexpr std::string_view fixed_date = "Sun, 06 Nov 1994 08:49:37 GMT";

/// The fields the engine appends to every response of a fixture engine.
inline constexpr std::string_view fixed_tail =
    "date: Sun, 06 Nov 1994 08:49:37 GMT\r\nserver: Rodeo\r\n";

/// Records events in order. `log` holds one line per event except body data, which goes to
/// `body_events` (the split depends on how the input was cut) and, joined, to `bodies`.
struct recorder : protocol_events {
  std::vector<std::pair<stream_id, request_head>> requests;
  std::vector<std::tuple<stream_id, std::string, bool>> body_events;
  std::vector<std::pair<stream_id, std::string>> bodies;
  std::vector<std::string> log;
  std::optional<request_head> upgrade_head;
  std::string upgrade_settings, upgrade_rest;
  /// Called after a request is recorded, and after the last body piece: lets a test answer
  /// from inside an event, as a synchronous connection would.
  std::function<void(stream_id)> when_request, when_body_done;

  void on_request(stream_id id, request_head head) override {
    log.push_back("request " + std::to_string(id) + " " + head.method + " " + head.path);
    requests.emplace_back(id, std::move(head));
    bodies.emplace_back(id, std::string{});
    if (when_request) when_request(id);
  }
  void on_body(stream_id id, std::string_view data, bool fin) override {
    body_events.emplace_back(id, std::string{data}, fin);
    for (auto& [i, b] : bodies)
      if (i == id) b += data;
    if (!fin) return;
    log.push_back("fin " + std::to_string(id));
    if (when_body_done) when_body_done(id);
  }
  void on_stream_reset(stream_id id, std::uint32_t error_code) override {
    log.push_back("reset " + std::to_string(id) + " " + std::to_string(error_code));
  }
  void on_stream_done(stream_id id) override { log.push_back("done " + std::to_string(id)); }
  void on_upgrade_h2c(request_head head, std::string settings, std::string rest) override {
    log.push_back("upgrade " + head.method + " " + head.path);
    upgrade_head = std::move(head);
    upgrade_settings = std::move(settings);
    upgrade_rest = std::move(rest);
  }

  /// The body received for stream `id`.
  std::string body(stream_id id) const {
    for (const auto& [i, b] : bodies)
      if (i == id) return b;
    return {};
  }
};

/// Engine options with the fixed date.
inline http1::engine_options fixed_options() {
  http1::engine_options o;
  o.date = [] { return std::string{fixed_date}; };
  return o;
}

/// An engine wired to a recorder.
struct h1_fixture {
  recorder events;
  http1::engine engine;

  explicit h1_fixture(protocol_limits limits = {}, bool tls = false)
      : engine(events, limits, tls, fixed_options()) {}

  /// Everything the engine has written since the last call.
  std::string output() {
    std::string out;
    engine.take_output(out);
    return out;
  }

  /// Feeds `bytes` one byte at a time; returns false as soon as feed does.
  bool feed_bytewise(std::string_view bytes) {
    for (char c : bytes)
      if (!engine.feed(std::string_view{&c, 1})) return false;
    return true;
  }
};

/// A 200 response with `body` and the fixture's fields, as the engine writes it for
/// `reply(id, 200, {}, body)`.
inline std::string ok_response(std::string_view body, std::string_view extra_fields = {}) {
  std::string r = "HTTP/1.1 200 OK\r\ncontent-length: " + std::to_string(body.size()) + "\r\n";
  r += fixed_tail;
  r += extra_fields;
  r += "\r\n";
  r += body;
  return r;
}

/// The error response the engine writes by itself for `status`.
inline std::string error_response(std::string_view status_line, std::string_view phrase) {
  std::string body = std::string{phrase} + "\n";
  std::string r = "HTTP/1.1 " + std::string{status_line} + "\r\ncontent-type: text/plain\r\n";
  r += "content-length: " + std::to_string(body.size()) + "\r\n";
  r += fixed_tail;
  r += "connection: close\r\n\r\n";
  r += body;
  return r;
}

}  // namespace rodeo::test
