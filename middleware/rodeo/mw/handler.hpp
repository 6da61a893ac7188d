#pragma once
/// \file
/// The handler middleware (Cowboy's cowboy_handler): builds the handler the router chose,
/// runs `init`, and tells the request actor whether the handler loops. Usually last.

#include "rodeo/middleware.hpp"

namespace rodeo::mw {

class handler final : public rodeo::middleware {
 public:
  middleware_result execute(req& r, env& e) const override;
};

}  // namespace rodeo::mw
