#pragma once
/// \file
/// rodeo_clock's command line: the shared listener flags (apps/common/server_flags.hpp).

#include <string>
#include <vector>

#include "rodeo/listener.hpp"
#include "rodeo/result.hpp"

namespace clock_app {

struct options {
  rodeo::listener_options listen;
  bool help = false;
};

/// Parses argv; the error is one line naming the flag.
rodeo::result<options> parse_options(const std::vector<std::string>& args);

/// The --help text: every flag.
std::string usage();

}  // namespace clock_app
