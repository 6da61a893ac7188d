// /api/users: GET the list, POST {"name", "email"}. /api/users/:id: GET, DELETE.
#include "app.hpp"

namespace first_app {

struct users_h : rodeo::handler_base {
  explicit users_h(store_ptr s) : store_(std::move(s)) {}

  rodeo::handler_result init(rodeo::req& req) override {
    if (req.method() == "GET")
      return reply_json(req, 200, store_->list()), rodeo::handler_result::ok;
    if (req.method() != "POST")
      return req.reply(405, {{"allow", "GET, POST"}}), rodeo::handler_result::ok;
    req.read_body(
        [store = store_](rodeo::req& r, std::string body) {
          auto j = nlohmann::json::parse(body, nullptr, false);
          if (!j.is_object() || !j.contains("name") || !j["name"].is_string())
            throw rodeo::bad_request("body must be a JSON object with a string \"name\"");
          auto u = store->add(j["name"], j.value("email", ""));
          reply_json(r, 201, u, {{"location", "/api/users/" + std::to_string(u.id)}});
        },
        16 * 1024);
    return rodeo::handler_result::ok;
  }
  store_ptr store_;
};

struct user_h : rodeo::handler_base {
  explicit user_h(store_ptr s) : store_(std::move(s)) {}

  rodeo::handler_result init(rodeo::req& req) override {
    auto id = req.binding<std::int64_t>("id");
    if (req.method() == "DELETE") {
      req.reply(store_->remove(id) ? 204 : 404);
    } else if (req.method() != "GET") {
      req.reply(405, {{"allow", "GET, DELETE"}});
    } else if (auto u = store_->find(id)) {
      reply_json(req, 200, *u);
    } else {
      reply_json(req, 404, {{"error", "no user " + std::to_string(id)}});
    }
    return rodeo::handler_result::ok;
  }
  store_ptr store_;
};

rodeo::route_target users_route(store_ptr s) { return rodeo::handler<users_h>(std::move(s)); }
rodeo::route_target user_route(store_ptr s) { return rodeo::handler<user_h>(std::move(s)); }

}  // namespace first_app
