// Compiled by req_internals.cmake once per PROBE: a handler's code that reaches for the
// framework's side of a req. PROBE 0 (a plain reply) must compile, proving the check itself
// works; every other probe must be refused because the member is private.
#include "rodeo/rodeo.hpp"

struct probe_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& req) override {
#if PROBE == 0
    req.reply(200, {{ "content-type", "text/plain" }}, "ok");
#elif PROBE == 1
    (void)req.link();
#elif PROBE == 2
    req.send_crash();
#elif PROBE == 3
    req.set_route({}, {}, {});
#elif PROBE == 4
    req.finish_default();
#elif PROBE == 5
    req.deliver_body("x", true);
#elif PROBE == 6
    req.bind_actor(nullptr);
#elif PROBE == 7
    req.keep_handler(nullptr);
#elif PROBE == 8
    req.set_looping(true);
#elif PROBE == 9
    (void)req.handler();
#elif PROBE == 10
    (void)req.waiting();
#endif
    return rodeo::handler_result::ok;
  }
};

int main() {
  probe_h h;
  (void)h;
}
