#include "rodeo/body/multipart.hpp"

#include <memory>
#include <string>
#include <utility>

#include "rodeo/body/content_type.hpp"
#include "rodeo/client_error.hpp"
#include "rodeo/req.hpp"

namespace rodeo {

namespace {

bool is_form_data(const http::media_type& t) {
  return t.type == "multipart" && t.subtype == "form-data";
}

struct multipart_reader {
  http::multipart_parser parser;
  multipart_handlers handlers;
  bool done = false;

  // Hands the parser's events to the handlers until it needs more input.
  void pump(req& r) {
    using kind = http::multipart_event_kind;
    while (!done) {
      auto e = parser.next();
      switch (e.kind) {
        case kind::need_more:
          return;
        case kind::part:
          if (handlers.on_part) handlers.on_part(r, e.part);
          break;
        case kind::data:
          if (handlers.on_data) handlers.on_data(r, e.data, false);
          break;
        case kind::part_end:
          if (handlers.on_data) handlers.on_data(r, {}, true);
          break;
        case kind::done:
          done = true;  // what follows is the epilogue, ignored
          if (handlers.on_done) handlers.on_done(r);
          return;
        case kind::malformed:
          throw bad_request(e.error);
        case kind::too_large:
          throw client_error(413, e.error);
      }
    }
  }
};

}  // namespace

void read_multipart(req& r, multipart_handlers handlers, http::multipart_limits limits) {
  require_content_type(r, "multipart/form-data", is_form_data);
  const auto boundary = http::multipart_boundary(r.header("content-type").value_or(""));
  if (!boundary)
    throw bad_request(
        "multipart/form-data without a valid boundary parameter (RFC 2046 §5.1.1: 1 to 70 "
        "characters)");
  check_content_length(r, limits.total_bytes);
  auto reader = std::make_shared<multipart_reader>(
      multipart_reader{http::multipart_parser{*boundary, limits}, std::move(handlers)});
  r.read_body_chunks([reader](req& rq, std::string_view chunk, bool fin) {
    if (reader->done) return;
    reader->parser.feed(chunk);
    if (fin) reader->parser.finish();
    reader->pump(rq);
  });
}

}  // namespace rodeo
