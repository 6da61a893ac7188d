#include "body_handlers.hpp"

#include <memory>
#include <string>
#include <vector>

#include "rodeo/body/multipart.hpp"
#include "rodeo/body/urlencoded.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/req.hpp"
#include "rodeo/sse.hpp"
#ifdef RODEO_LIVE_JSON
#include "rodeo/json/json.hpp"
#endif

namespace live {

namespace {

// POST /form: the decoded fields, one "name=value" line each. Limits: 1 KiB, 5 fields.
struct form_h final : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& r) override {
    rodeo::read_urlencoded_body(r,
                                [](rodeo::req& rq, rodeo::http::qs_pairs pairs) {
                                  std::string out;
                                  for (const auto& [n, v] : pairs) out += n + "=" + v + "\n";
                                  rq.reply(200, {{"content-type", "text/plain"}}, out);
                                },
                                {.bytes = 1024, .keys = 5});
    return rodeo::handler_result::ok;
  }
};

// POST /upload: per part "name filename content-type size pieces", the data counted, never
// held. Limits: 4 parts, 1 MiB.
struct upload_h final : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& r) override {
    struct count {
      std::string out;
      std::size_t size = 0, pieces = 0;
    };
    auto c = std::make_shared<count>();
    rodeo::read_multipart(
        r,
        {.on_part =
             [c](rodeo::req&, const rodeo::http::multipart_part& p) {
               c->out += p.name + " " + p.filename.value_or("-") + " " + p.content_type;
               c->size = c->pieces = 0;
             },
         .on_data =
             [c](rodeo::req&, std::string_view data, bool fin) {
               c->size += data.size();
               c->pieces += data.empty() ? 0 : 1;
               if (fin)
                 c->out += " " + std::to_string(c->size) + " " + std::to_string(c->pieces) + "\n";
             },
         .on_done =
             [c](rodeo::req& rq) {
               rq.reply(200, {{"content-type", "text/plain"}}, c->out);
             }},
        {.parts = 4, .total_bytes = 1024 * 1024});
    return rodeo::handler_result::ok;
  }
};

#ifdef RODEO_LIVE_JSON
// POST /json: {"got": <the body>, "keys": <its size>}. Limit: 4 KiB.
struct json_h final : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& r) override {
    rodeo::read_json(
        r,
        [](rodeo::req& rq, nlohmann::json in) {
          rodeo::reply_json(rq, 200, {{"got", in}, {"size", in.size()}});
        },
        4096);
    return rodeo::handler_result::ok;
  }
};
#endif

// GET /sse: three events in one response, one with multi-line data, then the end.
struct sse_h final : rodeo::handler_base {
  rodeo::handler_result init(rodeo::req& r) override {
    rodeo::stream_events(r, rodeo::sse_event{.retry = std::chrono::seconds(5), .comment = "hello"});
    rodeo::stream_events(r, rodeo::sse_event{.id = "1", .event = "first", .data = "one"});
    rodeo::stream_events(
        r, std::vector<rodeo::sse_event>{{.id = "2", .data = "two\nlines"}, {.data = "last"}},
        true);
    return rodeo::handler_result::ok;
  }
};

}  // namespace

std::vector<rodeo::router::path_rule> body_routes() {
  std::vector<rodeo::router::path_rule> paths;
  paths.emplace_back("/form", rodeo::handler<form_h>());
  paths.emplace_back("/upload", rodeo::handler<upload_h>());
#ifdef RODEO_LIVE_JSON
  paths.emplace_back("/json", rodeo::handler<json_h>());
#endif
  paths.emplace_back("/sse", rodeo::handler<sse_h>());
  return paths;
}

}  // namespace live
