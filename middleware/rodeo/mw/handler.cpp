#include "rodeo/mw/handler.hpp"

#include "rodeo/handler.hpp"
#include "rodeo/internal/actor/req_access.hpp"
#include "rodeo/mw/keys.hpp"
#include "rodeo/req.hpp"

namespace rodeo::mw {

middleware_result handler::execute(req& r, env& e) const {
  const route_target* target = e.find(handler_key);
  if (!target || !*target)
    throw usage_error(
        "the handler middleware found no handler in env: put the router (or a "
        "middleware that sets rodeo::mw::handler_key) before it in the chain");
  // A route kept off the io thread (actor_placement_key): the request actor moves to CAF's
  // workers first, and this middleware runs again there.
  if (const auto* p = e.find(actor_placement_key);
      p && *p == actor_placement::workers && req_access::hop_to_workers(r, *this))
    return middleware_result::next;
  if (const auto* policy = e.find(push_policy_key)) req_access::set_push_policy(r, *policy);
  // The req keeps the handler before init runs, so that terminate(crash) reaches a handler
  // whose init threw.
  auto& h = req_access::keep_handler(r, (*target)->make());
  req_access::set_looping(r, h.init(r) == handler_result::loop);
  return middleware_result::next;
}

}  // namespace rodeo::mw
