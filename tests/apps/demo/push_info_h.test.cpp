#include "push_info_h.hpp"

#include <doctest/doctest.h>

TEST_CASE("push_info_h json_string escapes per RFC 8259 section 7") {
  CHECK(demo::push_info_h::json_string("/static/a.css") == "\"/static/a.css\"");
  CHECK(demo::push_info_h::json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(demo::push_info_h::json_string(std::string("\n\t\x01", 3)) == "\"\\u000a\\u0009\\u0001\"");
  CHECK(demo::push_info_h::json_string("") == "\"\"");
}

TEST_CASE("push_info_h metrics_json lists the funnel and every skip reason") {
  rodeo::push_metrics m;
  m.requested = 5;
  m.promised = 3;
  m.completed = 2;
  m.cancelled = 1;
  m.count_skip(rodeo::push_skip::disabled_by_client);
  m.count_skip(rodeo::push_skip::duplicate);
  CHECK(demo::push_info_h::metrics_json(m) ==
        "{\"requested\":5,\"promised\":3,\"hinted\":0,\"completed\":2,\"cancelled\":1,"
        "\"skipped\":{\"http1\":0,\"disabled_by_client\":1,\"nested\":0,"
        "\"connection_closing\":0,\"concurrency_limit\":0,\"duplicate\":1,\"stream_closed\":0,"
        "\"output_full\":0,\"policy\":0,\"client_cached\":0,\"no_push_id\":0,\"push_ids_"
        "exhausted\":0}}");
}
