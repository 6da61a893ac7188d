#pragma once
/// \file
/// Cowboy's default middleware chain, [router, handler], as a value to put in the listener's
/// options. Insert user middlewares where they belong: before the router to rewrite or
/// authenticate, between router and handler for per-route policy.

#include "rodeo/middleware.hpp"
#include "rodeo/mw/handler.hpp"
#include "rodeo/mw/router.hpp"

namespace rodeo::mw {

inline middleware_chain default_chain(rodeo::router::routes routes) {
  return {std::make_shared<router>(std::move(routes)), std::make_shared<handler>()};
}

}  // namespace rodeo::mw
