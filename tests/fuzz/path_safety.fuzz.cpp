// The static files' path checks (middleware/rodeo/mw/static/path_safety) on what the router
// makes of a request path (router/rodeo/router/split: segments, percent-decoded), and on raw
// '/'-separated tokens. The root is a scratch directory with a file, a subdirectory, a
// symlink inside and a symlink to '/'. Property: whatever resolves is the root or under it.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "rodeo/mw/static/path_safety.hpp"
#include "rodeo/router/split.hpp"

using namespace rodeo::mw::static_files;
namespace fs = std::filesystem;

namespace {

std::string root;

void remove_root() {
  std::error_code ec;
  fs::remove_all(root, ec);
}

void check(const rodeo::path_tokens& tokens) {
  auto status = check_tokens(tokens);
  auto r = resolve_under(root, tokens);
  if (status != path_status::ok && r.status != status) std::abort();
  if (r.status == path_status::ok) {
    if (!is_under(r.path, real_path(root))) std::abort();
    for (const auto& t : tokens)
      if (t.empty() || t == "." || t == ".." ||
          t.find_first_of(std::string_view{"/\\\0", 3}) != std::string::npos)
        std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string dir = (fs::temp_directory_path() / "rodeo-fuzz-XXXXXX").string();
  if (!mkdtemp(dir.data())) std::abort();
  root = dir;
  std::atexit(remove_root);
  fs::create_directory(root + "/sub");
  std::ofstream(root + "/index.html") << "hi";
  std::ofstream(root + "/sub/a.txt") << "a";
  fs::create_directory_symlink("sub", root + "/in");
  fs::create_directory_symlink("/", root + "/out");
  fs::create_symlink("../../etc/passwd", root + "/sub/up");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view path{reinterpret_cast<const char*>(data), size};
  rodeo::router::path_segments segments(path);
  if (segments) check({segments.segments().begin(), segments.segments().end()});
  rodeo::path_tokens raw;
  if (path.starts_with('/')) path.remove_prefix(1);
  for (std::size_t at = 0;;) {
    auto slash = path.find('/', at);
    raw.emplace_back(path.substr(at, slash - at));
    if (slash == std::string_view::npos) break;
    at = slash + 1;
  }
  check(raw);
  return 0;
}
