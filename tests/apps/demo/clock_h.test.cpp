#include "clock_h.hpp"

#include <doctest/doctest.h>

TEST_CASE("clock_h event is one text/event-stream event ended by a blank line") {
  // HTML §9.2.6: fields "id", "event", "data", each "name: value\n"; a blank line dispatches.
  CHECK(rodeo::format_event(demo::clock_h::event(7, 1'738'324'807, "HTTP/2")) ==
        "id: 7\nevent: tick\ndata: {\"n\":7,\"utc\":\"2025-01-31T12:00:07Z\","
        "\"protocol\":\"HTTP/2\"}\n\n");
  CHECK(rodeo::format_event(demo::clock_h::event(1, 0, "HTTP/1.1")) ==
        "id: 1\nevent: tick\ndata: {\"n\":1,\"utc\":\"1970-01-01T00:00:00Z\","
        "\"protocol\":\"HTTP/1.1\"}\n\n");
}
