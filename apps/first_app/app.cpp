#include "app.hpp"

#include <rodeo/mw/default_chain.hpp>
#include <rodeo/mw/static/static.hpp>
#include <rodeo/router/router.hpp>

namespace first_app {

rodeo::result<rodeo::listener_options> options(store_ptr store, std::string public_dir) {
  auto routes = rodeo::router::compile(
      {{"_",
        {
            {"/", page_route()},
            {"/assets/[...]", rodeo::static_dir(public_dir)},
            {"/api/users", users_route(store)},
            {"/api/users/:id", {{"id", rodeo::router::int_c}}, user_route(store)},
            {"/api/events", events_route(store)},
            {"/api/boom", boom_route()},
        }}});
  if (!routes) return rodeo::failure("invalid routes: " + routes.error());
  auto chain = rodeo::mw::default_chain(*routes);
  chain.insert(chain.begin(), {request_id(), bearer_auth({{"s3cret", "ada"}, {"t0ken", "grace"}})});
  return rodeo::listener_options{.stream_handlers = {timing()}, .chain = std::move(chain)};
}

}  // namespace first_app
