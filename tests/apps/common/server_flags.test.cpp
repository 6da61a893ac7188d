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
  CHECK(take_all({"--port", "0", "--tls-port", "off", "--bind", "::1", "--cert", "c.pem", "--key",
                  "k.pem", "--threads", "3", "--quiet", "--root", "x"},
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
  for (const char* flag :
       {"--port", "--tls-port", "--bind", "--cert", "--key", "--threads", "--quiet"})
    CHECK_MESSAGE(text.find(flag) != std::string::npos, flag);
  CHECK(text.find("(default 8000;") != std::string::npos);
  CHECK(text.find("(default 4443;") != std::string::npos);
}

TEST_CASE("server_flags takes the timeouts in seconds, decimals allowed") {
  using ms = std::chrono::milliseconds;
  rodeo::listener_options o;
  CHECK(take_all({"--idle-timeout", "0.5", "--request-timeout", "12", "--header-timeout", "2.25",
                  "--body-timeout", "30.0", "--send-timeout", ".75", "--linger-timeout", "0.001"},
                 o) == "");
  CHECK(o.idle_timeout == ms(500));
  CHECK(o.request_timeout == ms(12'000));
  CHECK(o.header_timeout == ms(2'250));
  CHECK(o.body_timeout == ms(30'000));
  CHECK(o.send_timeout == ms(750));
  CHECK(o.linger_timeout == ms(1));
}

TEST_CASE("server_flags takes the connection limit and the output budgets") {
  rodeo::listener_options o;
  CHECK(take_all({"--max-connections", "5000", "--max-connection-output", "65536",
                  "--output-budget", "64m"},
                 o) == "");
  CHECK(o.max_connections == 5000);
  CHECK(o.max_connection_output == 65536);
  CHECK(o.output_budget == 64u * 1024 * 1024);
  CHECK(take_all(
            {"--max-connections", "0", "--max-connection-output", "512k", "--output-budget", "1G"},
            o) == "");
  CHECK(o.max_connections == 0);  // the default: from the descriptor limit
  CHECK(o.max_connection_output == 512u * 1024);
  CHECK(o.output_budget == 1024u * 1024 * 1024);
}

TEST_CASE("server_flags timeout and size errors are one line naming the flag") {
  rodeo::listener_options o;
  const std::string seconds =
      " takes seconds above 0, up to 604800, decimals allowed (e.g. 0.5), not ";
  CHECK(take_all({"--idle-timeout", "x"}, o) == "--idle-timeout" + seconds + "'x'");
  CHECK(take_all({"--body-timeout", "-1"}, o) == "--body-timeout" + seconds + "'-1'");
  CHECK(take_all({"--send-timeout", "1e3"}, o) == "--send-timeout" + seconds + "'1e3'");
  CHECK(take_all({"--request-timeout", "1."}, o) == "--request-timeout" + seconds + "'1.'");
  CHECK(take_all({"--header-timeout", ""}, o) == "--header-timeout" + seconds + "''");
  CHECK(take_all({"--linger-timeout", "604801"}, o) == "--linger-timeout" + seconds + "'604801'");
  CHECK(take_all({"--body-timeout", "0"}, o) == "--body-timeout" + seconds + "'0'");
  CHECK(take_all({"--idle-timeout", "0.0001"}, o) ==
        "--idle-timeout takes seconds to the millisecond at most, not '0.0001'");
  CHECK(take_all({"--idle-timeout"}, o) == "flag --idle-timeout needs a value (see --help)");
  CHECK(take_all({"--max-connections", "lots"}, o) ==
        "--max-connections takes a number from 0 to 16777216, not 'lots'");
  const std::string bytes = " takes a size in bytes from 1 (k, m, g: KiB, MiB, GiB), not ";
  CHECK(take_all({"--max-connection-output", "0"}, o) == "--max-connection-output" + bytes + "'0'");
  CHECK(take_all({"--output-budget", "12q"}, o) == "--output-budget" + bytes + "'12q'");
  CHECK(take_all({"--output-budget", "k"}, o) == "--output-budget" + bytes + "'k'");
  CHECK(take_all({"--output-budget", "99999999999g"}, o) ==
        "--output-budget" + bytes + "'99999999999g'");
}

TEST_CASE("server_flags usage lists the deployment flags with their defaults") {
  const auto text = apps::server_flags_usage(8000, 4443);
  for (const char* flag : {"--idle-timeout", "--request-timeout", "--header-timeout",
                           "--body-timeout", "--send-timeout", "--linger-timeout",
                           "--max-connections", "--max-connection-output", "--output-budget"})
    CHECK_MESSAGE(text.find(flag) != std::string::npos, flag);
  const rodeo::listener_options defaults;
  CHECK(defaults.idle_timeout == std::chrono::seconds(60));
  CHECK(text.find("(default 60)") != std::string::npos);
  CHECK(text.find("(default 1)") != std::string::npos);     // linger
  CHECK(text.find("(default 1m)") != std::string::npos);    // max connection output
  CHECK(text.find("(default 256m)") != std::string::npos);  // output budget
  // The new flags' lines fit 80 columns.
  const auto from = text.find("  --idle-timeout");
  REQUIRE(from != std::string::npos);
  std::size_t start = from;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    CHECK_MESSAGE(end - start <= 80, text.substr(start, end - start));
    start = end + 1;
  }
}

TEST_CASE("server_flags formats seconds as they are read") {
  using ms = std::chrono::milliseconds;
  CHECK(apps::format_seconds(ms(60'000)) == "60");
  CHECK(apps::format_seconds(ms(500)) == "0.5");
  CHECK(apps::format_seconds(ms(2'250)) == "2.25");
  CHECK(apps::format_seconds(ms(1'001)) == "1.001");
  CHECK(apps::format_bytes(1024 * 1024) == "1m");
  CHECK(apps::format_bytes(1000) == "1000");
  CHECK(apps::format_bytes(3 * 1024) == "3k");
}

TEST_CASE("server_flags takes --quic-retry; a bad value is one line") {
  rodeo::listener_options o;
  CHECK(o.quic_retry == rodeo::quic_retry::under_load);
  CHECK(take_all({"--quic-retry", "always"}, o) == "");
  CHECK(o.quic_retry == rodeo::quic_retry::always);
  CHECK(take_all({"--quic-retry", "never"}, o) == "");
  CHECK(o.quic_retry == rodeo::quic_retry::never);
  CHECK(take_all({"--quic-retry", "under_load"}, o) == "");
  CHECK(o.quic_retry == rodeo::quic_retry::under_load);
  CHECK(take_all({"--quic-retry", "sometimes"}, o) ==
        "--quic-retry takes always, never or under_load, not 'sometimes'");
  CHECK(take_all({"--quic-retry"}, o) == "flag --quic-retry needs a value (see --help)");
  CHECK(apps::server_flags_usage(8080, 8443).find("--quic-retry") != std::string::npos);
}
