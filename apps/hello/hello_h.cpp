#include "hello_h.hpp"

namespace hello {

rodeo::handler_result hello_h::init(rodeo::req& req) {
  const auto name = req.binding("name", "world");
  req.reply(200, {{"content-type", "text/plain"}}, "Hello " + name + "!");
  return rodeo::handler_result::ok;
}

}  // namespace hello
