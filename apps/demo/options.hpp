#pragma once
/// \file
/// The demo's command line: the shared listener flags (apps/common/server_flags.hpp),
/// --root, --dotfiles, --think-ms and --push-policy.

#include <chrono>
#include <string>
#include <vector>

#include "rodeo/listener.hpp"
#include "rodeo/result.hpp"

namespace demo {

struct options {
  rodeo::listener_options listen;
  std::string root;       ///< --root: a directory to serve instead of the built-in site
  bool dotfiles = false;  ///< --dotfiles: serve hidden files (`.git`, `.env`) of static routes
  /// --think-ms: the built-in site's pages push, then wait this long before answering, as a
  /// page that queries a database would (0: answer at once).
  std::chrono::milliseconds think{0};
  bool help = false;
};

/// Parses argv; the error is one line naming the flag.
rodeo::result<options> parse_options(const std::vector<std::string>& args);

/// The --help text.
std::string usage();

}  // namespace demo
