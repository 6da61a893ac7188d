#pragma once
/// \file
/// rodeo_file_server's command line: the shared listener flags (apps/common/server_flags.hpp)
/// and what to serve.

#include <string>
#include <vector>

#include "rodeo/listener.hpp"
#include "rodeo/result.hpp"

namespace file_server {

struct options {
  rodeo::listener_options listen;
  std::string root = ".";     ///< --root
  bool listing = false;       ///< --listing: list directories without an index.html
  std::string cache_control;  ///< --cache-control: the field's value on 200/206/304
  bool push = true;           ///< off with --no-push: ignore push.map manifests
  bool dotfiles = false;      ///< --dotfiles: serve hidden files (`.git`, `.env`)
  bool help = false;
};

/// Parses argv; the error is one line naming the flag.
rodeo::result<options> parse_options(const std::vector<std::string>& args);

/// The --help text: every flag.
std::string usage();

}  // namespace file_server
