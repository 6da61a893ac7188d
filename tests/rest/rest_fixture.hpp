#pragma once
// Test support: a rest_handler run against a real req whose connection is a recording sink
// (what it records is what the protocol engine would put on the wire), and a resource whose
// every callback answers from a field, so a table row sets just the fields it tests.

#include <asio/io_context.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "rodeo/command.hpp"
#include "rodeo/internal/actor/req_access.hpp"
#include "rodeo/internal/actor/stream_link.hpp"
#include "rodeo/internal/stream/push_state.hpp"
#include "rodeo/push_metrics.hpp"
#include "rodeo/req.hpp"
#include "rodeo/rest/rest_handler.hpp"

namespace rodeo::test {

/// A resource whose callbacks return its fields (Cowboy's defaults unless a test sets them).
class resource : public rest_handler {
 public:
  bool available = true, too_long = false, malformed = false, is_forbidden = false;
  bool content_headers_ok = true, entity_length_ok = true;
  rest::auth_result auth = rest::auth_result::ok();
  std::vector<std::string> known{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  std::vector<std::string> allowed{"GET", "HEAD", "OPTIONS"};
  std::vector<std::string> types{"text/html"};  // each served by a provider naming it
  std::vector<std::string> languages, charsets;
  bool exists = true, existed = false, missing_post = true, conflict = false;
  rest::moved permanently, temporarily;
  std::optional<http::entity_tag> etag;
  std::optional<std::time_t> modified, expiry;
  std::vector<std::string> accepted;  // each accepted by `on_body`
  rest::accept_result accept_with = rest::accept_result::ok();
  std::optional<std::string> change_body;  // set_resp_body by the acceptor or delete
  bool deleted = true, completed = true, choices = false;
  /// Runs in the provider before it returns (a push, say).
  std::function<void(req&)> in_provider;

  // What ran.
  std::vector<std::string> calls;
  std::string body_seen;

  bool service_available(req&) override { return available; }
  std::vector<std::string> known_methods(req&) override { return known; }
  bool uri_too_long(req&) override { return too_long; }
  std::vector<std::string> allowed_methods(req&) override { return allowed; }
  bool malformed_request(req&) override { return malformed; }
  rest::auth_result is_authorized(req&) override { return auth; }
  bool forbidden(req&) override { return is_forbidden; }
  bool valid_content_headers(req&) override { return content_headers_ok; }
  bool valid_entity_length(req&) override { return entity_length_ok; }
  std::vector<rest::provided_type> content_types_provided(req&) override {
    std::vector<rest::provided_type> out;
    for (const auto& t : types)
      out.push_back({t, [this, t](req& r) {
                       calls.push_back("provide " + t);
                       if (in_provider) in_provider(r);
                       return "body as " + t;
                     }});
    return out;
  }
  std::vector<std::string> languages_provided(req&) override { return languages; }
  std::vector<std::string> charsets_provided(req&) override { return charsets; }
  bool resource_exists(req&) override { return exists; }
  bool previously_existed(req&) override { return existed; }
  rest::moved moved_permanently(req&) override { return permanently; }
  rest::moved moved_temporarily(req&) override { return temporarily; }
  bool allow_missing_post(req&) override { return missing_post; }
  std::optional<http::entity_tag> generate_etag(req&) override { return etag; }
  std::optional<std::time_t> last_modified(req&) override { return modified; }
  std::optional<std::time_t> expires(req&) override { return expiry; }
  std::vector<rest::accepted_type> content_types_accepted(req&) override {
    std::vector<rest::accepted_type> out;
    for (const auto& t : accepted)
      out.push_back({t, [this, t](req&, std::string body) {
                       calls.push_back("accept " + t);
                       body_seen = std::move(body);
                       if (change_body) set_resp_body(*change_body);
                       return accept_with;
                     }});
    return out;
  }
  bool is_conflict(req&) override { return conflict; }
  bool delete_resource(req&) override {
    calls.push_back("delete");
    if (deleted && change_body) set_resp_body(*change_body);
    return deleted;
  }
  bool delete_completed(req&) override { return completed; }
  bool multiple_choices(req&) override { return choices; }
};

/// One request through a handler: the commands it sent, in order.
struct exchange {
  struct recorder final : command_sink {
    std::vector<command> got;
    void on_command(stream_id, command c) override { got.push_back(std::move(c)); }
  };
  std::shared_ptr<asio::io_context> io = std::make_shared<asio::io_context>();
  std::shared_ptr<recorder> sink = std::make_shared<recorder>();
  std::unique_ptr<req> r;

  /// `body`: the request has one, delivered whole before the handler runs.
  exchange(std::string method, headers fields = {}, std::optional<std::string> body = {},
           bool http2 = true) {
    request_head head;
    head.method = std::move(method);
    head.scheme = "https";
    head.authority = "example.com";
    head.path = "/notes/1";
    head.version = http2 ? "HTTP/2" : "HTTP/1.1";
    head.fields = std::move(fields);
    head.has_body = body.has_value();
    if (body) head.content_length = body->size();
    auto push = std::make_shared<push_state>(http2, std::make_shared<push_metrics>());
    auto link = std::make_shared<stream_link>(sink, io, 1, std::move(push));
    r = std::make_unique<req>(std::move(head), link, "127.0.0.1:1234", false);
    if (body) req_access::deliver_body(*r, *body, true);
  }

  std::vector<command> run(handler_base& h) {
    CHECK(h.init(*r) == handler_result::ok);
    io->restart();
    io->poll();
    return std::move(sink->got);
  }
};

/// The value of `name` in `fields`, if present.
inline std::optional<std::string> field(const headers& fields, std::string_view name) {
  for (const auto& [n, v] : fields)
    if (n == name) return v;
  return std::nullopt;
}

}  // namespace rodeo::test
