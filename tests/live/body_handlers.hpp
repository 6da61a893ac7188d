#pragma once
/// \file
/// Routes of the live test server for the body helpers and server-sent events: /form
/// (read_urlencoded_body), /upload (read_multipart), /json (read_json and reply_json, with
/// RODEO_JSON) and /sse (stream_events).

#include <vector>

#include "rodeo/router/compile.hpp"

namespace live {

std::vector<rodeo::router::path_rule> body_routes();

}  // namespace live
