// The demo's handlers through the whole stack (rodeo::testing): its route table as main.cpp
// builds it, requests over HTTP/1.1 and HTTP/2, pushes included.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "rodeo/mw/default_chain.hpp"
#include "rodeo/router/compile.hpp"
#include "rodeo/testing/client.hpp"
#include "site.hpp"

namespace {

using rodeo::testing::http2;

rodeo::testing::client demo_client() {
  auto site = demo::builtin_routes(demo::builtin_site(), std::make_shared<demo::metrics_slot>());
  REQUIRE(site);
  auto routes = rodeo::router::compile({{"_", site->paths}});
  REQUIRE(routes);
  return rodeo::testing::client{{.access_log = false, .chain = rodeo::mw::default_chain(*routes)}};
}

std::string site_file(const std::string& name) {
  std::ifstream f(demo::builtin_site() + "/" + name, std::ios::binary);
  std::ostringstream text;
  text << f.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("demo: /hello greets the world, /hello/:name the name") {
  auto c = demo_client();
  auto world = c.get("/hello");
  CHECK(world.status == 200);
  CHECK(world.body == "Hello world!");
  auto joe = c.get("/hello/joe", http2);
  CHECK(joe.status == 200);
  CHECK(joe.body == "Hello joe!");
  CHECK(joe.header("content-type") == "text/plain");
}

TEST_CASE("demo: / over HTTP/2 pushes what push.map lists for it, each answered in full") {
  auto c = demo_client();
  auto res = c.get("/", http2);
  CHECK(res.status == 200);
  CHECK(res.body == site_file("index.html"));
  REQUIRE(res.pushes.size() == 4);
  const char* assets[] = {"style.css", "app.js", "rodeo.svg", "model.svg"};
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(assets[i]);
    CHECK(res.pushes[i].path == std::string{"/static/"} + assets[i]);
    CHECK(res.pushes[i].complete);
    CHECK(res.pushes[i].status == 200);
    CHECK(res.pushes[i].body == site_file(assets[i]));
  }
  CHECK(res.pushes[0].header("content-type").value_or("") == "text/css; charset=utf-8");
}

TEST_CASE("demo: / over HTTP/1.1 is the page alone; a missing asset is 404") {
  auto c = demo_client();
  auto res = c.get("/");
  CHECK(res.status == 200);
  CHECK(res.pushes.empty());
  CHECK(c.get("/static/nothing.css").status == 404);
}

TEST_CASE("demo: /push-info describes what / pushes, as JSON") {
  auto c = demo_client();
  auto res = c.get("/push-info");
  CHECK(res.status == 200);
  CHECK(res.header("content-type").value_or("").starts_with("application/json"));
  CHECK(res.body.find("/static/style.css") != std::string::npos);
}
