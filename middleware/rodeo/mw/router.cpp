#include "rodeo/mw/router.hpp"

#include "rodeo/internal/actor/req_access.hpp"
#include "rodeo/mw/keys.hpp"
#include "rodeo/req.hpp"
#include "rodeo/router/match.hpp"

namespace rodeo::mw {

middleware_result router::execute(req& r, env& e) const {
  auto m = rodeo::router::match(routes_, r.host(), r.path());
  if (!m) {
    r.reply_error(rodeo::router::http_status(m.status));
    return middleware_result::stop;
  }
  req_access::set_route(r, std::move(m.bindings), std::move(m.host_info), std::move(m.path_info));
  req_access::set_route_info(r, m.rule->source, m.rule->name);
  e.set(handler_key, std::move(m.target));
  // The rule's own middlewares (path_rule::use), then the rest of the chain; one of them
  // that replied ends the chain as in the listener's chain.
  return run_middlewares(m.rule->middlewares, r, e, false);
}

}  // namespace rodeo::mw
