#pragma once
/// \file
/// The demo's route tables: the built-in site (apps/demo/site) or a directory given with
/// --root, plus the demo's own endpoints (/events, /push-info).
///
/// Built-in site:
///
///     /                 index.html   static_file, pushes what push.map lists for "/"
///     /clock            clock.html   static_file, pushes what push.map lists for "/clock"
///     /static/[...]     the site's files (the pushed assets come back here)
///     /hello/[:name]    hello::hello_h
///     /events           demo::clock_h (SSE)
///     /push-info        demo::push_info_h (JSON)
///     /metrics          rodeo::metrics_handler (Prometheus text; main.cpp puts it first)
///
/// --root DIR: /events and /push-info, then every file of DIR by its path (static_dir, so
/// `/` is DIR/index.html and `/hello` the file DIR/hello). DIR/push.map, if present, says what
/// to push; else `/` and `/index.html` push what DIR/index.html references (pushing_h).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "push_info_h.hpp"
#include "push_plan.hpp"
#include "rodeo/result.hpp"
#include "rodeo/router/compile.hpp"

namespace demo {

struct site_routes {
  std::vector<rodeo::router::path_rule> paths;
  std::shared_ptr<const push_plan> plan;  ///< what / pushes (for /push-info)
};

/// The built-in site's directory: the source tree's apps/demo/site compiled into the binary,
/// else the installed copy (`<prefix>/share/rodeo/demo/site` beside `<prefix>/bin`), else "".
std::string builtin_site();

/// The routes of the built-in site at `dir`. The error is one line (a missing file, a
/// malformed push.map). `dotfiles`: serve hidden files (--dotfiles, static_options).
/// `think`: the pages push, then wait this long before answering (--think-ms).
rodeo::result<site_routes> builtin_routes(const std::string& dir,
                                          std::shared_ptr<const metrics_slot> metrics,
                                          bool dotfiles = false,
                                          std::chrono::milliseconds think = {});

/// The routes serving the directory `dir` (--root).
rodeo::result<site_routes> root_routes(const std::string& dir,
                                       std::shared_ptr<const metrics_slot> metrics,
                                       bool dotfiles = false);

}  // namespace demo
