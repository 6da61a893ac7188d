#pragma once
/// \file
/// The listener flags every Rodeo example server takes (--port, --tls-port, --bind, --cert,
/// --key, --threads, --quiet; the timeouts --idle-timeout, --request-timeout, --header-timeout,
/// --body-timeout, --send-timeout, --linger-timeout in seconds; --max-connections,
/// --max-connection-output, --output-budget), their --help lines, and the "listening on" lines
/// printed once the listener is up. Each program parses its own flags and hands the rest to
/// take_server_flag.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rodeo/listener.hpp"
#include "rodeo/result.hpp"

namespace apps {

/// Parses `text` as a whole decimal number in [0, max]; the error names `flag`.
rodeo::result<unsigned long> parse_number(const std::string& flag, const std::string& text,
                                          unsigned long max);

/// Parses `text` as seconds, decimals allowed to the millisecond ("30", "0.5", ".25"), from 0
/// to a week; no sign, no exponent. The error names `flag`.
rodeo::result<std::chrono::milliseconds> parse_seconds(const std::string& flag,
                                                       const std::string& text);

/// Parses `text` as a size in bytes, at least 1, with an optional suffix k, m or g (KiB, MiB,
/// GiB; either case). The error names `flag`.
rodeo::result<std::size_t> parse_bytes(const std::string& flag, const std::string& text);

/// `d` in seconds as parse_seconds reads them: "60", "0.5", "2.25".
std::string format_seconds(std::chrono::milliseconds d);

/// `n` as parse_bytes reads it, with the largest suffix that divides it: "1m", "3k", "1000".
std::string format_bytes(std::size_t n);

/// If `args[i]` is a shared listener flag, applies it to `opts`, advances `i` past its value
/// and returns true; returns false for any other argument (the caller's own flags). The error
/// is one line naming the flag ("--port takes a number from 0 to 65535, not 'x'").
rodeo::result<bool> take_server_flag(const std::vector<std::string>& args, std::size_t& i,
                                     rodeo::listener_options& opts);

/// The --help lines of the shared flags, with the program's default ports and the
/// listener's defaults.
std::string server_flags_usage(std::uint16_t default_port, std::uint16_t default_tls_port);

/// Prints `<program>: http://HOST:PORT/ (HTTP/1.1, h2c)` and the https line for the ports the
/// listener bound (tests and scripts read the ports from these lines), then flushes stdout.
void print_listening(const std::string& program, const std::string& bind, const rodeo::listener& l);

}  // namespace apps
