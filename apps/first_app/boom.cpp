// GET /api/boom: a handler that throws; Rodeo answers 500 and logs the error.
#include <stdexcept>

#include "app.hpp"

namespace first_app {

struct boom_h : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req&) override {
    throw std::runtime_error("boom: the database is on fire");
  }
};

rodeo::route_target boom_route() { return rodeo::handler<boom_h>(); }

}  // namespace first_app
