// The access log's format: today's default line, the query string, the variables, errors.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rodeo/internal/stream/stream_chain.hpp"
#include "rodeo/stream_handlers/access_log_stream_h.hpp"

using namespace rodeo;

namespace {

stream_end sample() {
  stream_end e;
  e.id = 5;
  e.protocol = "h2";
  e.peer = "127.0.0.1:5123";
  e.method = "GET";
  e.path = "/a";
  e.status = 200;
  e.bytes_in = 4;
  e.bytes_out = 10;
  e.start = stream_end::clock::time_point{};
  e.first_byte = e.start + std::chrono::microseconds(20);
  e.end = e.start + std::chrono::microseconds(52);
  return e;
}

std::string line(std::string_view fmt, const stream_end& e) {
  auto f = access_log_format::parse(fmt);
  REQUIRE(f);
  return f->format(e);
}

}  // namespace

TEST_CASE("the default line is the one the access log always wrote, with the query string") {
  auto e = sample();
  CHECK(line(access_log_format::default_format, e) ==
        "127.0.0.1:5123 \"GET /a\" 200 10 52us h2 stream=5");
  e.qs = "b=1&c";
  e.pushed = true;
  CHECK(line(access_log_format::default_format, e) ==
        "127.0.0.1:5123 \"GET /a?b=1&c\" 200 10 52us h2 stream=5 pushed");
  e.reason = stream_end_reason::reset;
  CHECK(line(access_log_format::default_format, e) ==
        "127.0.0.1:5123 \"GET /a?b=1&c\" 200 10 52us h2 stream=5 pushed reset");
}

TEST_CASE("every variable, braces and dollars") {
  auto e = sample();
  e.qs = "q";
  CHECK(line("$method $path $qs $request_uri $status $bytes_in $bytes_out ${ttfb_us}us "
             "$protocol $stream $reason [$pushed$ended] $$5",
             e) == "GET /a q /a?q 200 4 10 20us h2 5 normal [] $5");
}

TEST_CASE("a request that pushed gets its push outcomes on its line") {
  auto e = sample();
  e.pushes = {4, 0, 1};
  CHECK(line(access_log_format::default_format, e) ==
        "127.0.0.1:5123 \"GET /a\" 200 10 52us h2 stream=5 push=promised:4,hinted:0,skipped:1");
  CHECK(line("[$pushes]", e) == "[ push=promised:4,hinted:0,skipped:1]");
  e.pushes = {};
  CHECK(line("[$pushes]", e) == "[]");
}

TEST_CASE("a bad format is one clear error") {
  auto bad = access_log_format::parse("$remote_addr $nope");
  REQUIRE(!bad);
  CHECK(bad.error().starts_with("access log format: unknown variable '$nope'"));
  CHECK(!access_log_format::parse("${status"));
}

TEST_CASE("access_log_stream_h writes one line per stream end") {
  std::vector<std::string> lines;
  request_head head{"POST", "http", "h", "/up", "x=1", "HTTP/1.1", {}, {}, true};
  stream_info info{1, &head, "http/1.1", "10.0.0.1:1", false};
  stream_chain chain(
      {access_log_stream_h(*access_log_format::parse("$request_uri $status $bytes_in"),
                           [&](const std::string& l) { lines.push_back(l); })},
      info, [](command&) {});
  chain.received(3);
  chain.send(cmd::reply{201, {}, "ok"});
  CHECK(lines.empty());
  chain.finish(stream_end_reason::normal);
  CHECK(lines == std::vector<std::string>{"/up?x=1 201 3"});
}
