#pragma once
/// \file
/// The route table as data and its compiled form (Cowboy's `cowboy_router:compile/1`).
///
///     auto routes = rodeo::router::compile({
///       {"_", {                                            // host rule
///         {"/", rodeo::handler<page_h>()},                 // path rules, tried in order
///         {"/hello/[:name]", rodeo::handler<hello_h>()},
///         {"/hats/:id", {{"id", rodeo::router::int_c}}, rodeo::handler<hat_h>()},
///         {"/static/[...]", rodeo::handler<static_h>("root")},
///       }},
///     });
///     if (!routes) { fmt::print(stderr, "invalid routes: {}\n", routes.error()); return 2; }
///
/// Host rules are tried in order; the first whose pattern (and host constraints) match owns
/// the request: its path rules are tried in order and if none matches the answer is 404,
/// other host rules are not consulted (Cowboy). No host rule matches: 400.
///
/// Compile errors name the pattern and say what is wrong: a bad pattern (see pattern.hpp), a
/// constraint on a binding the rule does not have, a path rule without a handler.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rodeo/handler.hpp"
#include "rodeo/middleware.hpp"
#include "rodeo/result.hpp"
#include "rodeo/router/constraints.hpp"
#include "rodeo/router/pattern.hpp"

namespace rodeo::router {

/// A path rule: pattern, optional constraints, handler. Constraints may name bindings of the
/// path or of its host pattern.
///
/// A rule may carry its own middlewares, run in order once the rule matched, before the rest
/// of the chain (the handler): `path_rule("/admin/[...]", admin).use({auth})`. One that
/// returns `stop` ends the request there (it replied, or the answer is 204). And a name, for
/// `req.route_name()`: `.named("admin")`.
struct path_rule {
  path_rule(std::string pattern_text, route_target handler)
      : pattern(std::move(pattern_text)), target(std::move(handler)) {}
  path_rule(std::string pattern_text, fields cs, route_target handler)
      : pattern(std::move(pattern_text)), constraints(std::move(cs)), target(std::move(handler)) {}

  /// Adds middlewares that run for this rule only.
  path_rule& use(middleware_chain mws) & {
    middlewares.insert(middlewares.end(), mws.begin(), mws.end());
    return *this;
  }
  path_rule&& use(middleware_chain mws) && { return std::move(this->use(std::move(mws))); }
  /// Names the rule (req.route_name()).
  path_rule&& named(std::string n) && {
    name = std::move(n);
    return std::move(*this);
  }

  std::string pattern;
  fields constraints;
  route_target target;
  middleware_chain middlewares;
  std::string name;
};

/// A host rule: pattern, optional constraints on its host bindings, path rules.
struct host_rule {
  host_rule(std::string pattern_text, std::vector<path_rule> path_rules)
      : pattern(std::move(pattern_text)), paths(std::move(path_rules)) {}
  host_rule(std::string pattern_text, fields cs, std::vector<path_rule> path_rules)
      : pattern(std::move(pattern_text)),
        constraints(std::move(cs)),
        paths(std::move(path_rules)) {}

  std::string pattern;
  fields constraints;
  std::vector<path_rule> paths;
};

/// The route table as written.
using route_table = std::vector<host_rule>;

namespace detail {
struct compiled_path {
  std::string source;  // the pattern as written, for messages
  pattern pat;
  fields constraints;
  route_target target;
  middleware_chain middlewares;
  std::string name;
};

struct compiled_host {
  std::string source;
  pattern pat;
  fields constraints;
  std::vector<compiled_path> paths;
};
}  // namespace detail

/// A compiled route table: immutable, cheap to copy (shared), safe to match from any number
/// of threads at once. A default-constructed one has no rules: every host is a bad host.
class routes {
 public:
  routes() = default;

  /// The compiled host rules, in table order.
  const std::vector<detail::compiled_host>& hosts() const noexcept;

  bool empty() const noexcept { return !hosts_ || hosts_->empty(); }

 private:
  friend result<routes> compile(const route_table& table);
  std::shared_ptr<const std::vector<detail::compiled_host>> hosts_;
};

/// Compiles a route table; on error, a message such as
/// `route "/hats/[:name": unclosed '['`.
result<routes> compile(const route_table& table);

}  // namespace rodeo::router
