#include "rodeo/mw/static/static_h.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "rodeo/internal/actor/req_access.hpp"
#include "rodeo/internal/actor/stream_link.hpp"
#include "rodeo/internal/stream/push_state.hpp"
#include "rodeo/mw/static/static.hpp"
#include "rodeo/push_metrics.hpp"
#include "rodeo/req.hpp"
#include "static/temp_dir.hpp"

// The handler against a req whose connection is a recording sink: the commands it sends are
// what the protocol engine would put on the wire, in order.

using namespace rodeo::mw::static_files;
using rodeo::headers;

namespace {

struct recorder final : rodeo::command_sink {
  std::vector<rodeo::command> got;
  void on_command(rodeo::stream_id, rodeo::command c) override { got.push_back(std::move(c)); }
};

struct exchange {
  std::shared_ptr<asio::io_context> io = std::make_shared<asio::io_context>();
  std::shared_ptr<recorder> sink = std::make_shared<recorder>();
  std::unique_ptr<rodeo::req> r;
  std::unique_ptr<rodeo::handler_base> h;

  exchange(const rodeo::route_target& target, std::string method, std::string path,
           rodeo::path_tokens path_info, headers fields = {}, bool http2 = true,
           bool pushed = false) {
    rodeo::request_head head;
    head.method = std::move(method);
    head.scheme = "https";
    head.authority = "example.com";
    head.path = std::move(path);
    head.version = http2 ? "HTTP/2" : "HTTP/1.1";
    head.fields = std::move(fields);
    auto push = std::make_shared<rodeo::push_state>(http2, std::make_shared<rodeo::push_metrics>());
    auto link = std::make_shared<rodeo::stream_link>(sink, io, 1, std::move(push));
    r = std::make_unique<rodeo::req>(std::move(head), link, "127.0.0.1:1234", pushed);
    rodeo::req_access::set_route(*r, {}, {}, std::move(path_info));
    h = target->make();
    CHECK(h->init(*r) == rodeo::handler_result::ok);
  }

  std::vector<rodeo::command> take() {
    io->restart();
    io->poll();
    return std::move(sink->got);
  }
};

template <class T>
const T& as(const rodeo::command& c) {
  REQUIRE(std::holds_alternative<T>(c));
  return std::get<T>(c);
}

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

// Options without designated initializers: g++ 12 warns about the members left out.
rodeo::static_options options(void (*set)(rodeo::static_options&)) {
  rodeo::static_options o;
  set(o);
  return o;
}

struct site {
  rodeo::test::temp_dir dir;
  std::string big = pattern(200'000);
  site() {
    dir.write("index.html", "<h1>home</h1>");
    dir.write("a.txt", "hello");
    dir.write("a.txt.br", "BR");
    dir.write("big.bin", big);
    dir.write("sub/index.html", "<h1>sub</h1>");
    dir.write("push.map", "/static/index.html: /style.css /app.js?v=2\n");
  }
};

}  // namespace

TEST_CASE("static_h replies a small file in one piece") {
  site s;
  exchange x(
      rodeo::static_dir(s.dir.str(), options([](auto& o) { o.cache_control = "max-age=60"; })),
      "GET", "/static/a.txt", {"a.txt"}, {{"accept-encoding", "gzip"}});
  auto cmds = x.take();
  REQUIRE(cmds.size() == 1);
  const auto& rep = as<rodeo::cmd::reply>(cmds[0]);
  CHECK(rep.status == 200);
  CHECK(rep.body == "hello");
  CHECK(rodeo::find_header(rep.fields, "content-type") == "text/plain; charset=utf-8");
  CHECK_FALSE(rodeo::has_header(rep.fields, "content-length"));  // the engine counts the body
  CHECK(rodeo::find_header(rep.fields, "cache-control") == "max-age=60");
  CHECK(rodeo::find_header(rep.fields, "vary") == "accept-encoding");
  CHECK_FALSE(rodeo::has_header(rep.fields, "content-encoding"));
}

TEST_CASE("static_h serves the brotli variant with its own etag") {
  site s;
  exchange x(rodeo::static_dir(s.dir.str()), "GET", "/static/a.txt", {"a.txt"},
             {{"accept-encoding", "gzip, deflate, br"}});
  auto cmds = x.take();
  REQUIRE(cmds.size() == 1);
  const auto& rep = as<rodeo::cmd::reply>(cmds[0]);
  CHECK(rep.body == "BR");
  CHECK(rodeo::find_header(rep.fields, "content-encoding") == "br");
  CHECK(rodeo::find_header(rep.fields, "content-type") == "text/plain; charset=utf-8");
  const auto etag = rodeo::find_header(rep.fields, "etag");
  REQUIRE(etag);
  CHECK(etag->substr(0, 3) == "\"2-");
  CHECK(etag->substr(etag->size() - 4) == "-br\"");
}

TEST_CASE("static_h answers HEAD with the length and no body (RFC 9110 §9.3.2)") {
  site s;
  exchange x(rodeo::static_dir(s.dir.str()), "HEAD", "/static/big.bin", {"big.bin"});
  auto cmds = x.take();
  REQUIRE(cmds.size() == 2);
  const auto& start = as<rodeo::cmd::stream_reply>(cmds[0]);
  CHECK(start.status == 200);
  CHECK(rodeo::find_header(start.fields, "content-length") == "200000");
  CHECK(as<rodeo::cmd::body>(cmds[1]).data.empty());
  CHECK(as<rodeo::cmd::body>(cmds[1]).fin);
}

TEST_CASE("static_h streams a large file one piece per drain, the first one too") {
  site s;
  exchange x(rodeo::static_dir(s.dir.str()), "GET", "/static/big.bin", {"big.bin"});
  auto cmds = x.take();
  // No body before the connection says there is room: a client that asks for big files on
  // many streams and never reads must not get 64 KiB queued on each.
  REQUIRE(cmds.size() == 2);
  const auto& start = as<rodeo::cmd::stream_reply>(cmds[0]);
  CHECK(start.status == 200);
  CHECK(rodeo::find_header(start.fields, "content-length") == "200000");
  as<rodeo::cmd::watch_drain>(cmds[1]);
  CHECK(rodeo::req_access::waiting(*x.r));
  std::string got;
  bool fin = false;
  for (int round = 0; round < 10 && !fin; ++round) {
    rodeo::req_access::deliver_drain(*x.r);
    cmds = x.take();
    REQUIRE(!cmds.empty());
    const auto& b = as<rodeo::cmd::body>(cmds[0]);
    got += b.data;
    fin = b.fin;
    CHECK(cmds.size() == (fin ? 1u : 2u));
  }
  CHECK(fin);
  CHECK(got == s.big);
  CHECK_FALSE(rodeo::req_access::waiting(*x.r));
}

namespace {

std::size_t open_descriptors() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

}  // namespace

TEST_CASE("static_h holds no descriptor for a streamed file while it waits for room") {
  site s;
  const auto before = open_descriptors();
  exchange x(rodeo::static_dir(s.dir.str()), "GET", "/static/big.bin", {"big.bin"});
  auto cmds = x.take();
  REQUIRE(cmds.size() == 2);
  as<rodeo::cmd::watch_drain>(cmds[1]);
  // Many streams that wait for a client that never reads must not take a descriptor each:
  // they would exhaust the process's descriptors and make accept() and open() fail.
  CHECK(open_descriptors() == before);
  std::string got;
  bool fin = false;
  for (int round = 0; round < 10 && !fin; ++round) {
    rodeo::req_access::deliver_drain(*x.r);
    cmds = x.take();
    REQUIRE(!cmds.empty());
    got += as<rodeo::cmd::body>(cmds[0]).data;
    fin = as<rodeo::cmd::body>(cmds[0]).fin;
  }
  CHECK(fin);
  CHECK(got == s.big);
  CHECK(open_descriptors() == before);
}

TEST_CASE("static_h resets a streamed file that changed before its first piece") {
  site s;
  SUBCASE("rewritten with another size") {
    exchange x(rodeo::static_dir(s.dir.str()), "GET", "/static/big.bin", {"big.bin"});
    (void)x.take();
    s.dir.write("big.bin", s.big + "more");
    // The headers promised the old length and validators: the stream is reset (a crash of
    // the request after its reply started), not sent other bytes.
    CHECK_THROWS(rodeo::req_access::deliver_drain(*x.r));
  }
  SUBCASE("replaced by another file of the same size") {
    exchange x(rodeo::static_dir(s.dir.str()), "GET", "/static/big.bin", {"big.bin"});
    (void)x.take();
    s.dir.write("big.new", pattern(s.big.size() + 1).substr(1));
    std::filesystem::rename(s.dir.str("big.new"), s.dir.str("big.bin"));
    CHECK_THROWS(rodeo::req_access::deliver_drain(*x.r));
  }
  SUBCASE("removed") {
    exchange x(rodeo::static_dir(s.dir.str()), "GET", "/static/big.bin", {"big.bin"});
    (void)x.take();
    std::filesystem::remove(s.dir.str("big.bin"));
    CHECK_THROWS(rodeo::req_access::deliver_drain(*x.r));
  }
}

TEST_CASE("static_h sends one range as 206 (RFC 9110 §14.2)") {
  site s;
  exchange x(rodeo::static_dir(s.dir.str()), "GET", "/static/big.bin", {"big.bin"},
             {{"range", "bytes=100000-100009"}});
  auto cmds = x.take();
  REQUIRE(cmds.size() == 1);
  const auto& rep = as<rodeo::cmd::reply>(cmds[0]);
  CHECK(rep.status == 206);
  CHECK(rep.body == s.big.substr(100000, 10));
  CHECK(rodeo::find_header(rep.fields, "content-range") == "bytes 100000-100009/200000");
}

TEST_CASE("static_h answers 304 to a matching If-None-Match (RFC 9110 §13.1.2)") {
  site s;
  const auto target = rodeo::static_dir(s.dir.str());
  exchange first(target, "GET", "/static/a.txt", {"a.txt"});
  auto cmds = first.take();
  const auto etag = std::string(*rodeo::find_header(as<rodeo::cmd::reply>(cmds[0]).fields, "etag"));
  exchange again(target, "GET", "/static/a.txt", {"a.txt"}, {{"if-none-match", etag}});
  cmds = again.take();
  REQUIRE(cmds.size() == 1);
  CHECK(as<rodeo::cmd::reply>(cmds[0]).status == 304);
  CHECK(as<rodeo::cmd::reply>(cmds[0]).body.empty());
}

TEST_CASE("static_h refuses methods, escapes and hidden files") {
  site s;
  const auto target = rodeo::static_dir(s.dir.str(), options([](auto& o) { o.push = true; }));
  auto status = [&](std::string method, std::string path, rodeo::path_tokens info) {
    exchange x(target, std::move(method), std::move(path), std::move(info));
    auto cmds = x.take();
    REQUIRE(cmds.size() == 1);
    return as<rodeo::cmd::reply>(cmds[0]);
  };
  const auto post = status("POST", "/static/a.txt", {"a.txt"});
  CHECK(post.status == 405);
  CHECK(rodeo::find_header(post.fields, "allow") == "GET, HEAD");
  CHECK(status("GET", "/static/../x", {"..", "x"}).status == 404);
  CHECK(status("GET", "/static/a%5Cb", {"a\\b"}).status == 400);
  CHECK(status("GET", "/static/push.map", {"push.map"}).status == 404);
  CHECK(status("GET", "/static/missing", {"missing"}).status == 404);
  const auto dir = status("GET", "/static/sub", {"sub"});
  CHECK(dir.status == 301);
  CHECK(rodeo::find_header(dir.fields, "location") == "./sub/");
  CHECK(status("GET", "/static/sub/", {"sub"}).body == "<h1>sub</h1>");
}

TEST_CASE("static_h pushes the manifest's assets before the page (RFC 9113 §8.4)") {
  site s;
  const auto target = rodeo::static_dir(s.dir.str(), options([](auto& o) { o.push = true; }));
  exchange x(target, "GET", "/static/index.html", {"index.html"});
  auto cmds = x.take();
  REQUIRE(cmds.size() == 3);
  const auto& css = as<rodeo::cmd::push>(cmds[0]).promised;
  CHECK(css.method == "GET");
  CHECK(css.path == "/style.css");
  CHECK(css.authority == "example.com");
  // The page asked for no coding: neither does its pushed request (RFC 9110 §12.5.3).
  CHECK(css.fields == headers{{"accept", "text/css,*/*;q=0.1"}});
  const auto& js = as<rodeo::cmd::push>(cmds[1]).promised;
  CHECK(js.path == "/app.js");
  CHECK(js.qs == "v=2");
  CHECK(rodeo::find_header(js.fields, "accept") == "*/*");
  CHECK(as<rodeo::cmd::reply>(cmds[2]).body == "<h1>home</h1>");

  // The pushed request accepts the codings the page's request accepted, no others.
  exchange gz(target, "GET", "/static/index.html", {"index.html"},
              {{"accept-encoding", "gzip"}, {"accept-encoding", "deflate"}});
  auto gz_cmds = gz.take();
  REQUIRE(gz_cmds.size() == 3);
  CHECK(as<rodeo::cmd::push>(gz_cmds[0]).promised.fields ==
        headers{{"accept", "text/css,*/*;q=0.1"},
                {"accept-encoding", "gzip"},
                {"accept-encoding", "deflate"}});

  // Not from a pushed request, not on HTTP/1.1 (recorded as skipped), not for HEAD.
  exchange pushed(target, "GET", "/static/index.html", {"index.html"}, {}, true, true);
  CHECK(pushed.take().size() == 1);
  exchange h1(target, "GET", "/static/index.html", {"index.html"}, {}, false);
  CHECK(h1.take().size() == 1);
  REQUIRE(h1.r->pushes().size() == 2);
  CHECK(h1.r->pushes()[0].skipped == rodeo::push_skip::http1);
  exchange head(target, "HEAD", "/static/index.html", {"index.html"});
  CHECK(head.take().size() == 2);  // stream_reply + empty fin
}

TEST_CASE("static_file serves its file and lists nothing else") {
  site s;
  exchange x(
      rodeo::static_file(s.dir.str("a.txt"), options([](auto& o) { o.precompressed = false; })),
      "GET", "/a", {});
  auto cmds = x.take();
  REQUIRE(cmds.size() == 1);
  CHECK(as<rodeo::cmd::reply>(cmds[0]).body == "hello");
  CHECK_FALSE(rodeo::has_header(as<rodeo::cmd::reply>(cmds[0]).fields, "vary"));
  CHECK_THROWS_AS(rodeo::static_file(""), std::invalid_argument);
  CHECK_THROWS_AS(rodeo::static_dir(""), std::invalid_argument);
  s.dir.write("bad.map", "no colon here\n");
  CHECK_THROWS_AS(rodeo::static_dir(s.dir.str(), options([](auto& o) { o.push_map = "bad.map"; })),
                  std::invalid_argument);
}

TEST_CASE("static_dir lists a directory when asked") {
  site s;
  s.dir.mkdir("empty");
  s.dir.write("empty/x.txt", "x");
  exchange x(rodeo::static_dir(s.dir.str(), options([](auto& o) { o.listing = true; })), "GET",
             "/static/empty/", {"empty"});
  auto cmds = x.take();
  REQUIRE(cmds.size() == 1);
  const auto& rep = as<rodeo::cmd::reply>(cmds[0]);
  CHECK(rep.status == 200);
  CHECK(rodeo::find_header(rep.fields, "content-type") == "text/html; charset=utf-8");
  CHECK(rep.body.view().find("<a href=\"./x.txt\">x.txt</a>") != std::string::npos);
}

TEST_CASE("static_dir answers 404 for hidden files unless dotfiles, and serves /.well-known/") {
  site s;
  s.dir.write(".env", "SECRET=1");
  s.dir.write(".git/config", "[core]");
  s.dir.write("sub/.htpasswd", "u:p");
  s.dir.write(".well-known/security.txt", "Contact: mailto:a@example.com");
  s.dir.write(".well-known/.hidden", "h");
  auto status = [](const rodeo::route_target& target, std::string path, rodeo::path_tokens info) {
    exchange x(target, "GET", std::move(path), std::move(info));
    auto cmds = x.take();
    REQUIRE(cmds.size() == 1);
    return as<rodeo::cmd::reply>(cmds[0]).status;
  };
  const auto hidden = rodeo::static_dir(s.dir.str());
  CHECK(status(hidden, "/.env", {".env"}) == 404);
  CHECK(status(hidden, "/.git/config", {".git", "config"}) == 404);
  CHECK(status(hidden, "/.git", {".git"}) == 404);  // not a 301 that confirms the directory
  CHECK(status(hidden, "/.git/", {".git", ""}) == 404);
  CHECK(status(hidden, "/sub/.htpasswd", {"sub", ".htpasswd"}) == 404);
  CHECK(status(hidden, "/.missing", {".missing"}) == 404);
  CHECK(status(hidden, "/.well-known/security.txt", {".well-known", "security.txt"}) == 200);
  CHECK(status(hidden, "/.well-known/.hidden", {".well-known", ".hidden"}) == 404);
  CHECK(status(hidden, "/sub/.well-known", {"sub", ".well-known"}) == 404);
  CHECK(status(hidden, "/a.txt", {"a.txt"}) == 200);

  const auto shown = rodeo::static_dir(s.dir.str(), options([](auto& o) { o.dotfiles = true; }));
  CHECK(status(shown, "/.env", {".env"}) == 200);
  CHECK(status(shown, "/.git/config", {".git", "config"}) == 200);
  CHECK(status(shown, "/sub/.htpasswd", {"sub", ".htpasswd"}) == 200);
  CHECK(status(shown, "/.well-known/.hidden", {".well-known", ".hidden"}) == 200);
  CHECK(status(shown, "/../x", {"..", "x"}) == 404);  // dot segments stay refused
}

namespace {

// Every descriptor the process may open, taken (on /dev/null) until destroyed: the soft
// limit is lowered first so that this stays quick whatever the limit was.
struct descriptors_exhausted {
  rlimit saved{};
  std::vector<int> held;
  descriptors_exhausted() {
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
    rlimit low = saved;
    low.rlim_cur = std::min<rlim_t>(saved.rlim_cur, 4096);
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
    for (int i = 0; i < 4096; ++i) {
      const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) break;
      held.push_back(fd);
    }
  }
  ~descriptors_exhausted() {
    for (int fd : held) ::close(fd);
    ::setrlimit(RLIMIT_NOFILE, &saved);
  }
};

}  // namespace

// UBSan's vptr check itself needs descriptors: in a process that has none left it reports
// any virtual call as invalid (tests/live/descriptors_test.py skips the same way).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif

TEST_CASE("static_h answers 503 with retry-after, not 404, when no descriptor is left" *
          doctest::skip(sanitized)) {
  site s;
  for (const auto ttl : {0, 1000}) {  // without and with the small-file cache
    CAPTURE(ttl);
    rodeo::static_options o;
    o.cache_ttl = std::chrono::milliseconds(ttl);
    const auto target = rodeo::static_dir(s.dir.str(), o);
    rodeo::cmd::reply rep;
    {
      descriptors_exhausted full;
      REQUIRE(::open("/dev/null", O_RDONLY) == -1);
      exchange x(target, "GET", "/a.txt", {"a.txt"});
      auto cmds = x.take();
      REQUIRE(cmds.size() == 1);
      rep = as<rodeo::cmd::reply>(cmds[0]);
    }
    CHECK(rep.status == 503);
    CHECK(rodeo::find_header(rep.fields, "retry-after") == "1");
    // Descriptors back: the same file is served.
    exchange again(target, "GET", "/a.txt", {"a.txt"});
    auto cmds = again.take();
    REQUIRE(cmds.size() == 1);
    CHECK(as<rodeo::cmd::reply>(cmds[0]).status == 200);
  }
}

// The small-file cache hands out its bytes: every response of a cached file carries the same
// buffer (body_bytes::share), which the engines write from; no copy per response.
TEST_CASE("static_h replies a cached file with the cache's own bytes, not a copy") {
  site s;
  const std::string js = pattern(60 * 1024);
  s.dir.write("app.js", js);
  auto target = rodeo::static_dir(s.dir.str());
  exchange first(target, "GET", "/static/app.js", {"app.js"});
  exchange second(target, "GET", "/static/app.js", {"app.js"});
  exchange range(target, "GET", "/static/app.js", {"app.js"}, {{"range", "bytes=100-199"}});
  auto a = first.take(), b = second.take(), c = range.take();
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  REQUIRE(c.size() == 1);
  const auto& ra = as<rodeo::cmd::reply>(a[0]);
  const auto& rb = as<rodeo::cmd::reply>(b[0]);
  const auto& rc = as<rodeo::cmd::reply>(c[0]);
  CHECK(ra.body == js);
  CHECK(ra.body.shared());
  CHECK(rb.body.shared());
  CHECK(ra.body.data() == rb.body.data());  // one buffer for both responses
  CHECK(rc.status == 206);
  CHECK(rc.body == js.substr(100, 100));
  CHECK(rc.body.data() == ra.body.data() + 100);  // a range is a view into it
}
