// The stream handler chain: order, rewriting, the 500 of a crash, the end report.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rodeo/internal/stream/stream_chain.hpp"
#include "rodeo/stream_handlers/metrics_stream_h.hpp"

using namespace rodeo;

namespace {

// Adds `name: value` to every response head and records what it saw.
struct tag_h : stream_handler {
  tag_h(std::string n, std::vector<std::string>& log) : name(std::move(n)), seen(log) {}
  void on_command(command& c, const stream_next& next) override {
    if (auto* r = std::get_if<cmd::reply>(&c)) r->fields.emplace_back(name, "1");
    if (auto* r = std::get_if<cmd::stream_reply>(&c)) r->fields.emplace_back(name, "1");
    seen.push_back(name + ":" + std::to_string(c.index()));
    next(c);
  }
  void on_end(const stream_end& e) override {
    seen.push_back(name + ":end:" + std::string{to_string(e.reason)});
  }
  std::string name;
  std::vector<std::string>& seen;
};

stream_handler_factory tag(std::string name, std::vector<std::string>& log) {
  return [name, &log](const stream_info&) { return std::make_unique<tag_h>(name, log); };
}

struct fixture {
  request_head head{"GET", "http", "h", "/p", "a=1", "HTTP/2", {}, {}, false};
  stream_info info{3, &head, "h2c", "127.0.0.1:9", false};
  std::vector<command> sent;
  std::vector<std::string> log;
};

}  // namespace

TEST_CASE("commands pass every handler in order, changed, then reach the engine") {
  fixture f;
  stream_chain chain({tag("a", f.log), tag("b", f.log)}, f.info,
                     [&](command& c) { f.sent.push_back(c); });
  CHECK(chain.size() == 2);
  chain.send(cmd::reply{200, {}, "hello"});
  REQUIRE(f.sent.size() == 1);
  auto& r = std::get<cmd::reply>(f.sent[0]);
  CHECK(r.fields == headers{{"a", "1"}, {"b", "1"}});
  CHECK(f.log == std::vector<std::string>{"a:1", "b:1"});
  chain.finish(stream_end_reason::normal);
  chain.finish(stream_end_reason::reset);  // once only
  CHECK(f.log == std::vector<std::string>{"a:1", "b:1", "a:end:normal", "b:end:normal"});
}

TEST_CASE("a factory returning nullptr costs the stream nothing") {
  fixture f;
  stream_chain chain({[](const stream_info&) { return std::unique_ptr<stream_handler>{}; },
                      stream_handler_factory{}},
                     f.info, [&](command& c) { f.sent.push_back(c); });
  CHECK(chain.size() == 0);
  chain.send(cmd::body{"x", true});
  CHECK(f.sent.size() == 1);
}

TEST_CASE("a crash before any response is the 500 every handler sees") {
  fixture f;
  stream_chain chain({tag("x-request-id", f.log)}, f.info,
                     [&](command& c) { f.sent.push_back(c); });
  chain.send(cmd::crash{});
  REQUIRE(f.sent.size() == 1);
  auto& r = std::get<cmd::reply>(f.sent[0]);
  CHECK(r.status == 500);
  CHECK(find_header(r.fields, "x-request-id") == "1");
  CHECK(chain.replied());
}

TEST_CASE("a crash's 500 keeps the response headers set before it and the error page's body") {
  fixture f;
  stream_chain chain({}, f.info, [&](command& c) { f.sent.push_back(c); });
  chain.send(cmd::crash{{{"x-request-id", "r1"}, {"content-type", "application/json"}}, "{}"});
  REQUIRE(f.sent.size() == 1);
  auto& r = std::get<cmd::reply>(f.sent[0]);
  CHECK(r.status == 500);
  CHECK(r.fields == headers{{"x-request-id", "r1"}, {"content-type", "application/json"}});
  CHECK(r.body == "{}");
}

TEST_CASE("a crash after the response started is a reset, and the end says crash") {
  fixture f;
  stream_end got;
  stream_chain chain({metrics_stream_h([&](const stream_end& e) { got = e; })}, f.info,
                     [&](command& c) { f.sent.push_back(c); });
  chain.send(cmd::stream_reply{200, {}});
  chain.send(cmd::crash{});
  REQUIRE(f.sent.size() == 2);
  CHECK(std::holds_alternative<cmd::crash>(f.sent[1]));
  chain.finish(stream_end_reason::reset);
  CHECK(got.reason == stream_end_reason::crash);
  CHECK(got.status == 200);
}

TEST_CASE("HTTP/1.1 closes the connection after a crash: the end still says crash") {
  fixture f;
  stream_end got;
  stream_chain chain({metrics_stream_h([&](const stream_end& e) { got = e; })}, f.info,
                     [](command&) {});
  chain.send(cmd::stream_reply{200, {}});
  chain.send(cmd::crash{});
  chain.finish(stream_end_reason::connection_closed);
  CHECK(got.reason == stream_end_reason::crash);
}

TEST_CASE("the end reports status, bytes both ways as sent, protocol and the request") {
  fixture f;
  // Doubles every body: bytes_out counts what leaves the chain, not what entered it.
  struct double_h : stream_handler {
    void on_command(command& c, const stream_next& next) override {
      if (auto* b = std::get_if<cmd::body>(&c)) b->data.append(b->data);
      next(c);
    }
  };
  std::vector<stream_end> ends;
  stream_chain chain({metrics_stream_h([&](const stream_end& e) { ends.push_back(e); }),
                      [](const stream_info&) { return std::make_unique<double_h>(); }},
                     f.info, [](command&) {});
  chain.received(7);
  chain.received(3);
  chain.send(cmd::inform{103, {}});
  chain.send(cmd::stream_reply{201, {}});
  chain.send(cmd::body{"abc", false});
  chain.send(cmd::body{"de", true});
  chain.finish(stream_end_reason::normal);
  REQUIRE(ends.size() == 1);
  const auto& e = ends[0];
  CHECK(e.id == 3);
  CHECK(e.status == 201);
  CHECK(e.bytes_in == 10);
  CHECK(e.bytes_out == 10);
  CHECK(e.protocol == "h2c");
  CHECK(e.peer == "127.0.0.1:9");
  CHECK((e.method == "GET" && e.path == "/p" && e.qs == "a=1"));
  CHECK(!e.pushed);
  CHECK(e.start <= e.first_byte);
  CHECK(e.first_byte <= e.end);
  CHECK(e.duration_us() >= 0);
}

TEST_CASE("an end reported while a command is inside the chain waits until it has left") {
  fixture f;
  std::vector<std::string> log;
  stream_chain* self = nullptr;
  // The engine closes the stream inside reply, as both engines may.
  stream_chain chain({tag("a", log)}, f.info, [&](command&) {
    self->finish(stream_end_reason::normal);
    log.push_back("engine");
  });
  self = &chain;
  chain.send(cmd::reply{200, {}, ""});
  CHECK(log == std::vector<std::string>{"a:1", "engine", "a:end:normal"});
  chain.send(cmd::body{"late", true});  // after the end: dropped
  CHECK(log.size() == 3);
}

TEST_CASE("a stream handler that throws resets its stream, and the chain goes on") {
  fixture f;
  struct throw_h : stream_handler {
    void on_command(command&, const stream_next&) override { throw std::runtime_error("boom"); }
  };
  stream_chain chain({[](const stream_info&) { return std::make_unique<throw_h>(); }}, f.info,
                     [&](command& c) { f.sent.push_back(c); });
  chain.send(cmd::reply{200, {}, "x"});
  REQUIRE(f.sent.size() == 1);
  CHECK(std::holds_alternative<cmd::crash>(f.sent[0]));
}

TEST_CASE("metrics_stream_h counts every end, whatever its reason") {
  fixture f;
  int count = 0;
  std::vector<stream_handler_factory> hs{metrics_stream_h([&](const stream_end&) { ++count; })};
  auto pushed = f.info;
  pushed.pushed = true;
  for (auto why : {stream_end_reason::normal, stream_end_reason::reset,
                   stream_end_reason::connection_closed}) {
    stream_chain plain(hs, f.info, [](command&) {});
    plain.finish(why);
    stream_chain promised(hs, pushed, [](command&) {});
    CHECK(promised.size() == 1);
    promised.finish(why);
  }
  CHECK(count == 6);
}

TEST_CASE("a stream the connection times out ends as timeout, not as the reset it causes") {
  fixture f;
  stream_end got;
  stream_chain chain({metrics_stream_h([&](const stream_end& e) { got = e; })}, f.info,
                     [](command&) {});
  chain.send(cmd::stream_reply{200, {}});
  chain.expect_end(stream_end_reason::timeout);
  chain.finish(stream_end_reason::reset);
  CHECK(got.reason == stream_end_reason::timeout);
}
