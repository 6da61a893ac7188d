#include "rodeo/json/json.hpp"

#include <string>
#include <utility>

#include "rodeo/body/content_type.hpp"
#include "rodeo/client_error.hpp"
#include "rodeo/req.hpp"

namespace rodeo {

namespace {

// application/json, or a structured syntax suffix (application/problem+json...).
bool is_json(const http::media_type& t) {
  return (t.type == "application" && t.subtype == "json") || t.subtype.ends_with("+json");
}

}  // namespace

void read_json(req& r, std::function<void(req&, nlohmann::json)> done, std::size_t limit) {
  require_content_type(r, "application/json", is_json);
  check_content_length(r, limit);
  // A body past `limit` is answered 413 by read_body itself.
  r.read_body(
      [done = std::move(done)](req& rq, std::string body) {
        nlohmann::json value;
        try {
          value = nlohmann::json::parse(body);
        } catch (const nlohmann::json::parse_error& e) {
          // e.what() reads "[json.exception.parse_error.101] parse error at line 1...".
          std::string why = e.what();
          if (const auto at = why.find("] "); at != std::string::npos) why.erase(0, at + 2);
          throw bad_request("invalid JSON body: " + why);
        }
        done(rq, std::move(value));
      },
      limit);
}

void reply_json(req& r, int status, const nlohmann::json& value, const rodeo::headers& fields) {
  auto body = value.dump();
  rodeo::headers all = fields;
  if (!has_header(all, "content-type")) all.emplace_back("content-type", "application/json");
  r.reply(status, all, std::move(body));
}

}  // namespace rodeo
