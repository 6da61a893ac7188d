#pragma once
/// \file
/// Error pages: a hook that renders the body of the framework's own 4xx and 5xx responses
/// (404 and 400 from the router, 400 from a `bad_request`, 413 from `read_body`, 500 from a
/// handler that threw, and what a handler sends with `req::reply_error`), so that, say, a
/// JSON API answers JSON everywhere. One per listener (`listener_options::error_page`) and
/// one per request (`req::set_error_page`, from a route's middleware or handler), which is
/// asked first. Headers set with `set_resp_header` before the error are kept.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rodeo {

/// The error response being made, as the hook sees it.
struct error_info {
  int status = 500;
  std::string_view method{};
  std::string_view path{};
  std::string_view accept{};    ///< the request's accept field, empty if absent
  std::string_view protocol{};  ///< "HTTP/1.1", "HTTP/2"...
  std::string_view reason{};    ///< what the framework would say as text (may be empty)
};

/// A rendered error body and its content-type.
struct error_body {
  std::string content_type{};
  std::string body{};
};

/// Renders an error; std::nullopt keeps the framework's own body. Runs in the request's actor;
/// if it throws, the framework's own body is sent and the exception logged.
using error_page_fn = std::function<std::optional<error_body>(const error_info&)>;

}  // namespace rodeo
