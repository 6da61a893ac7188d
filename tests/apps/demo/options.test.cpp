#include "options.hpp"

#include <doctest/doctest.h>

TEST_CASE("demo options default to 8080 and 8443 and take --root") {
  auto o = demo::parse_options({});
  REQUIRE(o);
  CHECK(o->listen.port == 8080);
  CHECK(o->listen.tls_port == 8443);
  CHECK(o->root.empty());
  o = demo::parse_options({"--root", "/srv/site", "--port", "0", "--quiet"});
  REQUIRE(o);
  CHECK(o->root == "/srv/site");
  CHECK(o->listen.port == 0);
  CHECK_FALSE(o->listen.access_log);
}

TEST_CASE("demo options errors name the flag") {
  CHECK(demo::parse_options({"--root"}).error() == "flag --root needs a value (see --help)");
  CHECK(demo::parse_options({"--nope"}).error() == "unknown flag '--nope' (see --help)");
  CHECK(demo::parse_options({"stray"}).error() == "unknown argument 'stray' (see --help)");
  CHECK(demo::parse_options({"--help"})->help);
}

TEST_CASE("demo usage lists every flag") {
  const auto text = demo::usage();
  for (const char* flag : {"--port", "--tls-port", "--bind", "--cert", "--key", "--threads",
                           "--quiet", "--root", "--help"})
    CHECK_MESSAGE(text.find(flag) != std::string::npos, flag);
}

TEST_CASE("demo options take --dotfiles and the deployment flags") {
  auto o = demo::parse_options({});
  REQUIRE(o);
  CHECK_FALSE(o->dotfiles);
  o = demo::parse_options({"--dotfiles", "--idle-timeout", "5", "--max-connections", "100"});
  REQUIRE(o);
  CHECK(o->dotfiles);
  CHECK(o->listen.idle_timeout == std::chrono::seconds(5));
  CHECK(o->listen.max_connections == 100);
  const auto text = demo::usage();
  for (const char* flag : {"--dotfiles", "--idle-timeout", "--max-connections", "--output-budget"})
    CHECK_MESSAGE(text.find(flag) != std::string::npos, flag);
}

TEST_CASE("demo options take --push-policy by its name") {
  auto o = demo::parse_options({});
  REQUIRE(o);
  CHECK(o->listen.push_policy == rodeo::push_policy::push_or_hint);
  for (auto p : {rodeo::push_policy::off, rodeo::push_policy::push_only,
                 rodeo::push_policy::hint_only, rodeo::push_policy::push_or_hint}) {
    o = demo::parse_options({"--push-policy", std::string(rodeo::to_string(p))});
    REQUIRE(o);
    CHECK(o->listen.push_policy == p);
  }
  CHECK(demo::parse_options({"--push-policy"}).error() ==
        "flag --push-policy needs a value (see --help)");
  CHECK(demo::parse_options({"--push-policy", "never"}).error() ==
        "--push-policy takes push_or_hint, push_only, hint_only or off, not 'never'");
  CHECK(demo::usage().find("--push-policy") != std::string::npos);
}
