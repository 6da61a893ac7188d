#include "rodeo/router/compile.hpp"

#include <algorithm>

namespace rodeo::router {

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string listing(const std::vector<std::string>& names) {
  if (names.empty()) return "it binds nothing";
  std::string out = "it binds ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i != 0) out += ", ";
    out += names[i];
  }
  return out;
}

// Names the host rule too, unless it is the catch-all, so that one path pattern used under
// several hosts is found.
std::string in_host(const host_rule& h) {
  return h.pattern == "_" ? std::string{} : " (in host \"" + h.pattern + "\")";
}

}  // namespace

const std::vector<detail::compiled_host>& routes::hosts() const noexcept {
  static const std::vector<detail::compiled_host> none;
  return hosts_ ? *hosts_ : none;
}

result<routes> compile(const route_table& table) {
  auto hosts = std::make_shared<std::vector<detail::compiled_host>>();
  hosts->reserve(table.size());
  for (const auto& h : table) {
    auto host_pat = parse_host_pattern(h.pattern);
    if (!host_pat) return failure{host_pat.error()};
    auto host_names = host_pat->names();
    for (const auto& f : h.constraints)
      if (!contains(host_names, f.name))
        return failure{"host \"" + h.pattern + "\": constraint on \"" + f.name +
                       "\", a binding the pattern does not have (" + listing(host_names) + ")"};

    detail::compiled_host ch{h.pattern, std::move(*host_pat), h.constraints, {}};
    ch.paths.reserve(h.paths.size());
    for (const auto& p : h.paths) {
      auto path_pat = parse_path_pattern(p.pattern);
      if (!path_pat) return failure{path_pat.error() + in_host(h)};
      // Path rule constraints see the host's bindings too (Cowboy applies them to all).
      auto names = path_pat->names();
      for (const auto& n : host_names)
        if (!contains(names, n)) names.push_back(n);
      for (const auto& f : p.constraints)
        if (!contains(names, f.name))
          return failure{"route \"" + p.pattern + "\": constraint on \"" + f.name +
                         "\", a binding the route does not have (" + listing(names) + ")" +
                         in_host(h)};
      if (!p.target)
        return failure{"route \"" + p.pattern +
                       "\": no handler (give one with rodeo::handler<T>(...))" + in_host(h)};
      for (const auto& m : p.middlewares)
        if (!m)
          return failure{"route \"" + p.pattern + "\": a null middleware in its use() list" +
                         in_host(h)};
      ch.paths.push_back(
          {p.pattern, std::move(*path_pat), p.constraints, p.target, p.middlewares, p.name});
    }
    hosts->push_back(std::move(ch));
  }
  routes r;
  r.hosts_ = std::move(hosts);
  return r;
}

}  // namespace rodeo::router
