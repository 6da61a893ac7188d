#pragma once
// JSON in and out of a request, the app's own for now.
// replace with rodeo::read_json/reply_json once available
#include <rodeo/bad_request.hpp>
#include <rodeo/req.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <utility>

namespace first_app {

inline void reply_json(rodeo::req& req, int status, const nlohmann::json& body,
                       rodeo::headers fields = {}) {
  fields.emplace_back("content-type", "application/json");
  req.reply(status, fields, body.dump() + "\n");
}

// Reads the body (over `limit`: 413) and calls done(req, json); not JSON: 400.
template <class F>
void read_json(rodeo::req& req, std::size_t limit, F done) {
  req.read_body(
      [done = std::move(done)](rodeo::req& r, std::string body) {
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (j.is_discarded()) throw rodeo::bad_request("the body is not JSON");
        done(r, std::move(j));
      },
      limit);
}

}  // namespace first_app
