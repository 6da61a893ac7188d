// GET /: the page, pushing its CSS and JS (served by static_dir at /assets/[...]).
#include "app.hpp"

namespace first_app {

struct page_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
    req.push("/assets/style.css");
    req.push("/assets/app.js");
    req.reply(200, {{"content-type", "text/html; charset=utf-8"}},
              "<!doctype html><link rel=stylesheet href=/assets/style.css>\n"
              "<h1>Users</h1><ul id=users></ul><script src=/assets/app.js></script>\n");
    return rodeo::handler_result::ok;
  }
};

rodeo::route_target page_route() { return rodeo::handler<page_h>(); }

}  // namespace first_app
