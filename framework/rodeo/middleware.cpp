#include "rodeo/middleware.hpp"

#include "rodeo/log.hpp"
#include "rodeo/req.hpp"

namespace rodeo {

middleware_result run_middlewares(const middleware_chain& chain, req& r, env& e,
                                  bool last_may_reply) {
  for (std::size_t i = 0; i < chain.size(); ++i) {
    const auto& mw = *chain[i];
    if (mw.execute(r, e) == middleware_result::stop) {
      if (!r.replied())
        log::app()->debug("{} {} stream {}: middleware {} stopped the chain without replying: 204",
                          r.method(), r.path(), r.stream(), mw.name());
      return middleware_result::stop;
    }
    const bool last = i + 1 == chain.size();
    if (r.replied() && !(last && last_may_reply)) {
      log::app()->warn(
          "{} {} stream {}: middleware {} replied and returned next; the chain stops here "
          "(return middleware_result::stop after replying)",
          r.method(), r.path(), r.stream(), mw.name());
      return middleware_result::stop;
    }
  }
  return middleware_result::next;
}

}  // namespace rodeo
