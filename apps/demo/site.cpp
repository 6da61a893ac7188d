#include "site.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "chat_h.hpp"
#include "clock_h.hpp"
#include "hello_h.hpp"
#include "notes_h.hpp"
#include "preload_h.hpp"
#include "pushing_h.hpp"
#include "rodeo/mw/static/static.hpp"

namespace demo {

namespace {

bool is_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string parent(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

std::string trimmed(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream text;
  text << f.rdbuf();
  return text.str();
}

// The demo's own endpoints, in front of either site. GET (and HEAD) only: rodeo::methods
// answers other methods with 405 and allow, OPTIONS with allow.
void add_endpoints(std::vector<rodeo::router::path_rule>& paths,
                   const std::shared_ptr<const push_plan>& plan,
                   const std::shared_ptr<const metrics_slot>& metrics) {
  paths.emplace_back("/events", rodeo::methods{.get = rodeo::handler<clock_h>()});
  paths.emplace_back("/push-info",
                     rodeo::methods{.get = rodeo::handler<push_info_h>(plan, metrics)});
  paths.emplace_back("/preload", rodeo::methods{.get = rodeo::handler<preload_h>()});
  paths.emplace_back("/notes/[:id]", rodeo::handler<notes_h>(std::make_shared<notes_store>()));
  paths.emplace_back("/ws/echo", rodeo::handler<echo_ws_h>());
  paths.emplace_back("/ws/chat", rodeo::handler<chat_ws_h>(make_chat_room()));
  paths.emplace_back("/chat", rodeo::methods{.get = rodeo::handler<chat_page_h>()});
}

}  // namespace

std::string builtin_site() {
#ifdef RODEO_DEMO_SITE
  if (is_file(std::string(RODEO_DEMO_SITE) + "/index.html")) return RODEO_DEMO_SITE;
#endif
  char exe[4096];
  const auto n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    const std::string installed =
        parent(parent(std::string(exe, static_cast<std::size_t>(n)))) + "/share/rodeo/demo/site";
    if (is_file(installed + "/index.html")) return installed;
  }
  return {};
}

rodeo::result<site_routes> builtin_routes(const std::string& dir_in,
                                          std::shared_ptr<const metrics_slot> metrics,
                                          bool dotfiles, std::chrono::milliseconds think) {
  const std::string dir = trimmed(dir_in);
  for (const char* name : {"index.html", "clock.html", "push.map"})
    if (!is_file(dir + "/" + name))
      return rodeo::failure("the demo site " + dir + " has no " + name);
  try {
    site_routes site;
    site.plan = std::make_shared<const push_plan>(push_plan::from_file(dir + "/push.map"));
    // Pages revalidate (ETag) on every load: a reload shows edits at once.
    // Every route names the manifest: the pages push what it lists, and no route serves it.
    rodeo::static_options opts;
    opts.cache_control = "no-cache";
    opts.push = true;  // dir/push.map
    opts.dotfiles = dotfiles;
    if (think.count() > 0) {
      // The pages push from the plan at once, and answer after the think time.
      rodeo::static_options page_opts = opts;
      page_opts.push = false;
      for (const char* page : {"/", "/clock"})
        site.paths.emplace_back(
            page, rodeo::handler<pushing_h>(
                      site.plan,
                      rodeo::static_file(
                          dir + (page == std::string_view{"/"} ? "/index.html" : "/clock.html"),
                          page_opts),
                      think));
    } else {
      site.paths.emplace_back("/", rodeo::static_file(dir + "/index.html", opts));
      site.paths.emplace_back("/clock", rodeo::static_file(dir + "/clock.html", opts));
    }
    // Assets stay fresh a minute: a browser may then use a response it preloaded from an
    // early hint (a no-cache one it would revalidate, fetching every asset twice).
    rodeo::static_options asset_opts = opts;
    asset_opts.cache_control = "max-age=60";
    site.paths.emplace_back("/static/[...]", rodeo::static_dir(dir, asset_opts));
    site.paths.emplace_back("/hello/[:name]",
                            rodeo::methods{.get = rodeo::handler<hello::hello_h>()});
    add_endpoints(site.paths, site.plan, metrics);
    return site;
  } catch (const std::invalid_argument& e) {
    return rodeo::failure(e.what());
  }
}

rodeo::result<site_routes> root_routes(const std::string& dir_in,
                                       std::shared_ptr<const metrics_slot> metrics, bool dotfiles) {
  const std::string dir = trimmed(dir_in);
  if (!is_dir(dir)) return rodeo::failure("--root " + dir_in + " is not a directory");
  try {
    site_routes site;
    rodeo::route_target files;
    if (is_file(dir + "/push.map")) {
      site.plan = std::make_shared<const push_plan>(push_plan::from_file(dir + "/push.map"));
      rodeo::static_options opts;
      opts.push = true;
      opts.dotfiles = dotfiles;
      files = rodeo::static_dir(dir, opts);
    } else {
      const std::string index = dir + "/index.html";
      auto map = is_file(index) ? manifest_from_index(read_file(index))
                                : rodeo::mw::static_files::push_map{};
      site.plan = std::make_shared<const push_plan>(
          push_plan::from_map(std::move(map), "references of " + index));
      rodeo::static_options opts;
      opts.dotfiles = dotfiles;
      files = rodeo::handler<pushing_h>(site.plan, rodeo::static_dir(dir, opts));
    }
    add_endpoints(site.paths, site.plan, metrics);
    site.paths.emplace_back("/[...]", files);
    return site;
  } catch (const std::invalid_argument& e) {
    return rodeo::failure(e.what());
  }
}

}  // namespace demo
