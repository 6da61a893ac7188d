// The page, /api/users, /api/users/:id and /api/boom; /api/events is a loop handler
// (events.cpp).
#include <rodeo/json/json.hpp>

#include <stdexcept>

#include "app.hpp"

namespace first_app {

// GET /: the page, pushing its CSS and JS (served by static_dir at /assets/[...]).
rodeo::route_target page_route() {
  return rodeo::methods{.get = [](rodeo::req& req) {
    req.push("/assets/style.css");
    req.push("/assets/app.js");
    req.reply(200, {{"content-type", "text/html; charset=utf-8"}},
              "<!doctype html><link rel=stylesheet href=/assets/style.css>\n"
              "<h1>Users</h1><ul id=users></ul><script src=/assets/app.js></script>\n");
  }};
}

// GET the list; POST {"name", "email"}, by the caller bearer_auth found.
rodeo::route_target users_route(store_ptr s) {
  auto create = [s](rodeo::req& req) {
    rodeo::read_json(
        req,
        [s](rodeo::req& r, nlohmann::json j) {
          if (!j.is_object() || !j.contains("name") || !j["name"].is_string())
            throw rodeo::bad_request("body must be a JSON object with a string \"name\"");
          auto u = s->add(j["name"], j.value("email", ""), r.meta().get<caller>()->name);
          rodeo::reply_json(r, 201, u, {{"location", "/api/users/" + std::to_string(u.id)}});
        },
        16 * 1024);
  };
  return rodeo::methods{.get = [s](rodeo::req& req) { rodeo::reply_json(req, 200, s->list()); },
                        .post = create};
}

// GET, DELETE one user.
rodeo::route_target user_route(store_ptr s) {
  auto read = [s](rodeo::req& req) {
    auto id = req.binding<std::int64_t>("id");
    if (auto u = s->find(id)) return rodeo::reply_json(req, 200, *u);
    req.reply_error(404, {}, "no user " + std::to_string(id));
  };
  auto remove = [s](rodeo::req& req) {
    req.reply(s->remove(req.binding<std::int64_t>("id")) ? 204 : 404);
  };
  return rodeo::methods{.get = read, .delete_ = remove};
}

// GET /api/boom: throws; Rodeo answers 500 (through the error page) and logs the error.
rodeo::route_target boom_route() {
  return rodeo::handler_fn(
      [](rodeo::req&) { throw std::runtime_error("boom: the database is on fire"); });
}

}  // namespace first_app
