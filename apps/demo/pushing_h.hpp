#pragma once
/// \file
/// `pushing_h`: promises a page's assets from a demo::push_plan (RFC 9113 §8.4), then lets
/// another route target answer the request. The demo wraps a static_dir with it when the
/// served directory has no push.map, so its manifest can live in memory; the pushed requests
/// come back through the router to the static route like any request.

#include <chrono>
#include <memory>

#include "push_plan.hpp"
#include "rodeo/handler.hpp"

namespace demo {

class pushing_h final : public rodeo::handler_base {
 public:
  /// `think`: wait this long between the pushes and the inner handler (server think time).
  pushing_h(std::shared_ptr<const push_plan> plan, rodeo::route_target inner,
            std::chrono::milliseconds think = {});

  /// Pushes what the plan lists for the request path when the answer will be the page
  /// itself (see rodeo/mw/static/static.hpp: static routes push with a 200 to a GET), then
  /// runs the inner handler's init.
  rodeo::handler_result init(rodeo::req& r) override;
  rodeo::handler_result info(const caf::message& msg, rodeo::req& r) override;
  std::chrono::milliseconds loop_timeout() const override;
  void timeout(rodeo::req& r) override;
  void terminate(rodeo::terminate_reason reason, rodeo::req& r) override;

 private:
  std::shared_ptr<const push_plan> plan_;
  rodeo::route_target inner_target_;
  std::chrono::milliseconds think_;
  bool thinking_ = false;
  // Owned here, and this object lives as long as the request actor: callbacks the inner
  // handler registers (on_drain) stay valid.
  std::unique_ptr<rodeo::handler_base> inner_;
};

}  // namespace demo
