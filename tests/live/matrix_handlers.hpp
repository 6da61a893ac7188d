#pragma once
/// \file
/// Routes of the live test server for the HTTP/2 client matrix (client_matrix_test.py): a
/// large streamed body paced by the client's reads, and a rendezvous that proves several
/// requests of one client are in their handlers at the same time.

#include "rodeo/rodeo.hpp"
#include "rodeo/router/compile.hpp"

namespace live {

/// GET /stream-big/:n and GET /meet/:group/:n.
std::vector<rodeo::router::path_rule> matrix_routes();

}  // namespace live
