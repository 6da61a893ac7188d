#pragma once
/// \file
/// `GET /preload`: a page that names its stylesheet and script in `link: rel=preload` fields
/// and pushes nothing itself; the demo's chain starts with mw::preload_push, which pushes the
/// stylesheet and leaves the script (marked `nopush`) to the client.

#include "rodeo/handler.hpp"

namespace demo {

class preload_h final : public rodeo::handler_base {
 public:
  rodeo::handler_result init(rodeo::req& r) override;
};

}  // namespace demo
