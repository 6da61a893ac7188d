#pragma once
// The app as a listener's options: routes, middlewares, the JSON error page and the timing
// stream handler. main() serves them; the test gives them to rodeo::testing::client.
#include <rodeo/rodeo.hpp>

#include <functional>
#include <map>
#include <string>

#include "store.hpp"

namespace first_app {

rodeo::result<rodeo::listener_options> options(store_ptr store, std::string public_dir);

// What bearer_auth found, for the handlers (req.meta().get<caller>()).
struct caller {
  std::string name;
};

// Handlers (handlers.cpp, events.cpp) and middlewares (middleware.cpp).
rodeo::route_target page_route();
rodeo::route_target users_route(store_ptr s);  // GET, POST /api/users
rodeo::route_target user_route(store_ptr s);   // GET, DELETE /api/users/:id
rodeo::route_target events_route(store_ptr s);
rodeo::route_target boom_route();
rodeo::middleware_ptr bearer_auth(std::map<std::string, std::string, std::less<>> tokens);
rodeo::middleware_ptr request_id();
rodeo::stream_handler_factory timing();

}  // namespace first_app
