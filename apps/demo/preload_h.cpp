#include "preload_h.hpp"

#include "rodeo/req.hpp"

namespace demo {

rodeo::handler_result preload_h::init(rodeo::req& r) {
  r.reply(200,
          {{"content-type", "text/html; charset=utf-8"},
           {"link", "</static/style.css>; rel=preload; as=style"},
           {"link", "</static/app.js>; rel=preload; as=script; nopush"}},
          "<!doctype html><title>Preload</title>"
          "<link rel=stylesheet href=/static/style.css><script src=/static/app.js></script>"
          "<p>This page's stylesheet came pushed from its <code>link</code> field.\n");
  return rodeo::handler_result::ok;
}

}  // namespace demo
