#pragma once
/// \file
/// `GET /hello` → "Hello world!"; `GET /hello/NAME` → "Hello NAME!" (route "/hello/[:name]").

#include "rodeo/rodeo.hpp"

namespace hello {

class hello_h final : public rodeo::handler_base {
 public:
  rodeo::handler_result init(rodeo::req& req) override;
};

}  // namespace hello
