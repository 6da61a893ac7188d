#include "server_flags.hpp"

#include <doctest/doctest.h>

namespace {

// Offers every argument to take_server_flag; returns the error or "" and the leftovers.
std::string take_all(const std::vector<std::string>& args, rodeo::listener_options& o,
                     std::vector<std::string>* rest = nullptr) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto taken = apps::take_server_flag(args, i, o);
    if (!taken) return taken.error();
    if (!*taken && rest) rest->push_back(args[i]);
  }
  return "";
}

}  // namespace

TEST_CASE("server_flags applies every shared flag") {
  rodeo::listener_options o;
  std::vector<std::string> rest;
  CHECK(take_all({"--port", "0", "--tls-port", "off", "--bind", "::1", "--cert", "c.pem",
                  "--key", "k.pem", "--threads", "3", "--quiet", "--root", "x"},
                 o, &rest) == "");
  CHECK(o.port == 0);
  CHECK_FALSE(o.tls_port.has_value());
  CHECK(o.bind == "::1");
  CHECK(o.cert_file == "c.pem");
  CHECK(o.key_file == "k.pem");
  CHECK(o.io_threads == 3);
  CHECK_FALSE(o.access_log);
  // Not shared: left to the program, value included.
  CHECK(rest == std::vector<std::string>{"--root", "x"});
}

TEST_CASE("server_flags errors are one line naming the flag") {
  rodeo::listener_options o;
  CHECK(take_all({"--port", "65536"}, o) == "--port takes a number from 0 to 65535, not '65536'");
  CHECK(take_all({"--port", "80x"}, o) == "--port takes a number from 0 to 65535, not '80x'");
  CHECK(take_all({"--port", ""}, o) == "--port takes a number from 0 to 65535, not ''");
  CHECK(take_all({"--tls-port", "-1"}, o) == "--tls-port takes a number from 0 to 65535, not '-1'");
  CHECK(take_all({"--threads", "0"}, o) == "--threads takes a number from 1 to 256, not '0'");
  CHECK(take_all({"--key"}, o) == "flag --key needs a value (see --help)");
}

TEST_CASE("server_flags usage names every flag with the program's default ports") {
  const auto text = apps::server_flags_usage(8000, 4443);
  for (const char* flag : {"--port", "--tls-port", "--bind", "--cert", "--key", "--threads",
                           "--quiet"})
    CHECK_MESSAGE(text.find(flag) != std::string::npos, flag);
  CHECK(text.find("(default 8000;") != std::string::npos);
  CHECK(text.find("(default 4443;") != std::string::npos);
}
