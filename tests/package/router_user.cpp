// Built against the installed package with rodeo::router alone: the router is pure code, so
// compiling a route table and matching a path needs none of the framework's libraries.
// Exits 0 when the path matched with its binding.
#include <rodeo/router/router.hpp>

#include <cstdio>
#include <memory>

// A route target that is never asked for a handler: matching only compares targets.
struct never_made : rodeo::handler_factory {
  std::unique_ptr<rodeo::handler_base> make() const override { return nullptr; }
};

int main() {
  auto target = std::make_shared<never_made>();
  auto routes =
      rodeo::router::compile({{"_", {{"/hats/:id", {{"id", rodeo::router::int_c}}, target}}}});
  if (!routes) return std::fprintf(stderr, "%s\n", routes.error().c_str()), 2;
  auto m = rodeo::router::match(*routes, "example.com", "/hats/42");
  bool ok = m && m.target == target && m.bindings.at("id").as<std::int64_t>() == 42;
  std::printf("%s\n", ok ? "router user: ok" : "router user: no match");
  return ok ? 0 : 1;
}
