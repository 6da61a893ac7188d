#pragma once
// Test support: a transport with no socket (rodeo/internal/net/memory_transport.hpp), under
// the names the connection and driver tests use.

#include "rodeo/internal/net/memory_transport.hpp"

namespace rodeo::test {
using fake_wire = memory_wire;
using fake_transport = memory_transport;
}  // namespace rodeo::test
