#pragma once
/// \file
/// JSON in and out, on nlohmann/json (Debian's nlohmann-json3-dev). The optional library
/// `rodeo::json` (CMake option RODEO_JSON): the core does not depend on it.
///
///     rodeo::read_json(r, [](rodeo::req& r, nlohmann::json in) {
///       rodeo::reply_json(r, 201, {{"id", 7}, {"name", in.at("name")}});
///     });

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>

#include "rodeo/headers.hpp"

namespace rodeo {

class req;

/// The most bytes `read_json` reads by default.
inline constexpr std::size_t default_json_limit = 1024 * 1024;

/// Reads the whole body, parses it, then calls `done(req, value)` from the request actor. As
/// `req.read_body`, the handler returns from init without replying and answers in `done`.
///
/// The client's faults become responses (rodeo::client_error / bad_request): a Content-Type
/// other than `application/json` or a `+json` type (RFC 6839 §3.1) is 415; a body over
/// `limit` bytes, 413; a body that is not one JSON text (RFC 8259), 400 with where it broke.
/// A `done` that reads a field the value lacks (`in.at("name")`) throws nlohmann's
/// exception, a 500: check with `contains`, or throw rodeo::bad_request for a 400.
void read_json(req& r, std::function<void(req&, nlohmann::json)> done,
               std::size_t limit = default_json_limit);

/// The complete response: `value` serialised, `content-type: application/json` (unless
/// `fields` has one). Throws nlohmann's type_error for a string that is not UTF-8.
void reply_json(req& r, int status, const nlohmann::json& value, const rodeo::headers& fields = {});

}  // namespace rodeo
