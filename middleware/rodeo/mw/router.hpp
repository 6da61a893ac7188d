#pragma once
/// \file
/// The router middleware, Cowboy's `cowboy_router:execute/2`: matches the request's host and
/// path against compiled routes. On a match it sets the bindings, host_info and path_info on
/// the req and the route's handler in the env (`rodeo::mw::handler_key`), runs the rule's own
/// middlewares (path_rule::use; one that stops ends the chain), and the chain goes on.
/// Otherwise it replies 400 (no host rule matches, or a malformed path) or 404 (no path rule
/// matches) and stops the chain.

#include <utility>

#include "rodeo/middleware.hpp"
#include "rodeo/router/compile.hpp"

namespace rodeo::mw {

class router final : public rodeo::middleware {
 public:
  explicit router(rodeo::router::routes routes) : routes_(std::move(routes)) {}

  middleware_result execute(req& r, env& e) const override;

  const rodeo::router::routes& table() const noexcept { return routes_; }

 private:
  rodeo::router::routes routes_;
};

}  // namespace rodeo::mw
