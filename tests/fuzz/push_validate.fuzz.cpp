// Push validation (framework/rodeo/push: validate_push) on arbitrary arguments, and what it
// lets through on the wire: an accepted push is promised by the HTTP/2 engine
// (framework/rodeo/http2) to an nghttp2 client in memory, which must accept the PUSH_PROMISE
// and the pushed response (no RST_STREAM, no GOAWAY). A push the client refuses is a bug in
// validate_push: the handler was not told what was wrong.
//
// Input, one part per line: path, qs, method ("" = GET), scheme, host, port (each "" = not
// overridden), then `name:value` fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "http2/h2_client.hpp"
#include "input_lines.hpp"
#include "rodeo/errors.hpp"
#include "rodeo/internal/protocol/http2/engine.hpp"
#include "rodeo/push.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parts = rodeo::fuzz::lines({reinterpret_cast<const char*>(data), size});
  parts.resize(std::max<std::size_t>(parts.size(), 6));
  rodeo::push_options opts;
  opts.qs = parts[1];
  if (!parts[2].empty()) opts.method = parts[2];
  if (!parts[3].empty()) opts.scheme = std::string{parts[3]};
  if (!parts[4].empty()) opts.host = std::string{parts[4]};
  if (!parts[5].empty())
    opts.port = static_cast<std::uint16_t>(std::atoi(std::string{parts[5]}.c_str()));
  rodeo::headers fields;
  for (std::size_t i = 6; i < parts.size(); ++i) {
    auto colon = parts[i].find(':', 1);
    fields.emplace_back(parts[i].substr(0, colon),
                        colon == std::string_view::npos ? "" : parts[i].substr(colon + 1));
  }
  try {
    rodeo::validate_push(parts[0], fields, opts);
  } catch (const rodeo::usage_error&) {
    return 0;
  }
  // req::push refuses another origin after validation; here the origin is always the
  // request's (https://example.com), as a same-origin push must be.
  rodeo::request_head h;
  h.method = opts.method;
  h.scheme = "https";
  h.authority = "example.com";
  h.path = std::string{parts[0]};
  h.qs = opts.qs;
  h.version = "HTTP/2";
  h.fields = fields;

  rodeo::test::recorder events;
  rodeo::http2::engine engine{events, rodeo::protocol_limits{}, true};
  rodeo::test::client client;
  auto parent = client.get("/");
  if (!rodeo::test::exchange(client, engine) || events.requests.size() != 1) std::abort();
  auto promised = engine.push_promise(parent, h);
  if (promised == 0) std::abort();
  engine.reply(parent, 200, {}, "page");
  rodeo::test::exchange(client, engine);
  for (const auto& [id, code] : events.resets)
    if (id == promised) {
      std::fprintf(stderr, "push check failed: the client reset the promised stream (%u)\n", code);
      std::abort();
    }
  engine.reply(promised, 200, {}, "pushed");
  rodeo::test::exchange(client, engine);
  const auto& r = client.responses[promised];
  const std::string_view body = h.method == "HEAD" ? "" : "pushed";  // RFC 9110 §9.3.2
  if (!r.closed || r.close_code != 0 || r.body != body ||
      !client.frames_of(NGHTTP2_GOAWAY).empty()) {
    std::fprintf(stderr, "push check failed: the pushed response is not whole (closed %d, %u)\n",
                 r.closed, r.close_code);
    std::abort();
  }
  return 0;
}
