#pragma once
// The app as a listener's options: routes, middlewares and the timing stream handler. main()
// serves them; the test gives them to rodeo::testing::client.
#include <rodeo/rodeo.hpp>

#include <string>

#include "store.hpp"

namespace first_app {

rodeo::result<rodeo::listener_options> options(store_ptr store, std::string public_dir);

// Handlers (one file each) and middlewares (middleware.cpp).
rodeo::route_target page_route();
rodeo::route_target users_route(store_ptr s);  // GET, POST /api/users
rodeo::route_target user_route(store_ptr s);   // GET, DELETE /api/users/:id
rodeo::route_target events_route(store_ptr s);
rodeo::route_target boom_route();
rodeo::middleware_ptr bearer_auth(std::map<std::string, std::string, std::less<>> tokens);
rodeo::middleware_ptr request_id();
rodeo::stream_handler_factory timing();

inline void reply_json(rodeo::req& req, int status, const nlohmann::json& body,
                       rodeo::headers fields = {}) {
  fields.emplace_back("content-type", "application/json");
  req.reply(status, fields, body.dump() + "\n");
}

}  // namespace first_app
