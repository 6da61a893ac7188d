#include "rodeo/mw/static/open_error.hpp"

#include <cerrno>

namespace rodeo::mw::static_files {

bool is_resource_shortage(int error) {
  return error == EMFILE || error == ENFILE || error == ENOMEM;
}

int status_for_open_error(int error) { return is_resource_shortage(error) ? 503 : 404; }

}  // namespace rodeo::mw::static_files
