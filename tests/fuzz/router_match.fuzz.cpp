// The router (router/rodeo/router): compiling a path pattern and matching a host and a path.
// Input: `host \n path [\n pattern]`. The pattern, when present and valid, is compiled as
// the first path rule of a catch-all host, ahead of a fixed table that uses every feature
// (host and path bindings, optional segments, "[...]", constraints, "*"). Matching must never
// throw and must give a consistent result (match.hpp), the same twice.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "rodeo/router/compile.hpp"
#include "rodeo/router/match.hpp"

namespace {

using namespace rodeo::router;

class tag_factory final : public rodeo::handler_factory {
 public:
  std::unique_ptr<rodeo::handler_base> make() const override { return nullptr; }
};

rodeo::route_target tag() { return std::make_shared<tag_factory>(); }

std::vector<path_rule> fixed_paths() {
  return {
      {"/", tag()},
      {"/:a/[b/[:c]]", {{"c", {int_c, nonempty_c}}}, tag()},
      {"/hats/:id", {{"id", int_c}}, tag()},
      {"/%2F/:z", tag()},
      {"/r/[...]/", tag()},
      {"/static/[...]", tag()},
      {"*", tag()},
  };
}

const routes& fixed_routes() {
  static const routes rs = [] {
    auto r = compile({
        {"[...].a.b", {{"/[...]", tag()}}},
        {":x.:x", {{"x", nonempty_c}}, {{"/:x/[...]", tag()}, {"*", tag()}}},
        {":n.example.org", {{"n", int_c}}, {{"_", tag()}}},
        {"[...]", fixed_paths()},
    });
    if (!r) std::abort();
    return *r;
  }();
  return rs;
}

void check(const routes& rs, std::string_view host, std::string_view path) {
  auto m = match(rs, host, path);
  if (m) {
    if (!m.target) std::abort();
    for (const auto& seg : m.path_info)
      if (seg == "." || seg == "..") std::abort();
  } else {
    int status = http_status(m.status);
    if (m.target || !m.bindings.empty() || !m.host_info.empty() || !m.path_info.empty() ||
        (status != 400 && status != 404))
      std::abort();
  }
  auto again = match(rs, host, path);
  if (again.status != m.status || again.target != m.target || again.path_info != m.path_info ||
      again.host_info != m.host_info)
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in{reinterpret_cast<const char*>(data), size};
  auto nl = in.find('\n');
  std::string_view host = in.substr(0, nl), path, pattern;
  if (nl != std::string_view::npos) {
    path = in.substr(nl + 1);
    if (auto nl2 = path.find('\n'); nl2 != std::string_view::npos) {
      pattern = path.substr(nl2 + 1);
      path = path.substr(0, nl2);
    }
  }
  check(fixed_routes(), host, path);
  if (!pattern.empty()) {
    auto paths = fixed_paths();
    paths.insert(paths.begin(), path_rule{std::string{pattern}, tag()});
    if (auto rs = compile({{"_", std::move(paths)}})) check(*rs, host, path);
  }
  return 0;
}
