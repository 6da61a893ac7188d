#pragma once
/// \file
/// `rest_handler`: Cowboy's `cowboy_rest`. A handler that describes a resource through
/// callbacks, and lets the framework walk the HTTP decision diagram: method checks,
/// authorization, content negotiation, existence, conditional requests (RFC 9110 §13.2.2),
/// body acceptance and the final status. Every callback has Cowboy's default; override the
/// ones your resource needs. docs/rest.md lists the diagram as a table.
///
/// A rest_handler is a plain handler: it runs in the request actor, so any callback may call
/// `req.push(...)` or `req.set_resp_header(...)` before the reply (a provider that pushes the
/// page's assets, for instance). Callbacks run in diagram order and at most once each (the
/// default `options` asks `allowed_methods` again).
/// A callback that replies itself through the req (say, a 401 page of its own) ends the walk.
/// A callback that throws ends the request with 500, as in a plain handler.

#include <cstddef>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rodeo/handler.hpp"
#include "rodeo/http/accept.hpp"
#include "rodeo/http/etag.hpp"

namespace rodeo {

class req;

namespace rest {

/// Produces a representation's body for GET (and HEAD, whose body the protocol drops).
using provider = std::function<std::string(req&)>;

/// What an acceptor made of the request body.
struct accept_result {
  enum class kind {
    ok,         ///< processed: 201 for a new resource, else 200 with a body or 204
    refused,    ///< the body is not acceptable: 400
    created,    ///< POST made a resource at `location`: 201 with `location`
    see_other,  ///< processed; the client should GET `location`: 303
  };
  kind outcome = kind::ok;
  std::string location;

  static accept_result ok() { return {}; }
  static accept_result refused() { return {kind::refused, {}}; }
  static accept_result created(std::string uri) { return {kind::created, std::move(uri)}; }
  static accept_result see_other(std::string uri) { return {kind::see_other, std::move(uri)}; }
};

/// Processes a request body of an accepted media type (POST, PUT, PATCH).
using acceptor = std::function<accept_result(req&, std::string body)>;

/// One media type the resource produces, and how. `media_type` is `type/subtype` (lowercase);
/// parameters other than charset are not negotiated.
struct provided_type {
  std::string media_type;
  rest::provider provider;
};

/// One media type the resource accepts in a request body, and how. `media_type` is
/// `type/subtype`, or `type/*` or `*/*` to take a family.
struct accepted_type {
  std::string media_type;
  rest::acceptor acceptor;
};

/// is_authorized's answer: authorized, or not with the `www-authenticate` challenge for the 401
/// (RFC 9110 §11.6.1).
struct auth_result {
  bool authorized = true;
  std::string www_authenticate;

  static auth_result ok() { return {}; }
  static auth_result challenge(std::string scheme) { return {false, std::move(scheme)}; }
};

/// A move (moved_permanently / moved_temporarily): the new URI, or none.
using moved = std::optional<std::string>;

}  // namespace rest

/// The REST handler base. Derive, override callbacks, route with `rodeo::handler<T>(...)`.
/// `init` is the diagram's walk and is final.
class rest_handler : public handler_base {
 public:
  handler_result init(req& r) final;

  // --- service, method and request checks (in this order) ---
  /// false: 503.
  virtual bool service_available(req& r);
  /// Methods this server knows; another one: 501. Default: GET HEAD POST PUT PATCH DELETE
  /// OPTIONS.
  virtual std::vector<std::string> known_methods(req& r);
  /// true: 414.
  virtual bool uri_too_long(req& r);
  /// Methods this resource allows; another one: 405 with `allow` listing these. Default:
  /// GET HEAD OPTIONS.
  virtual std::vector<std::string> allowed_methods(req& r);
  /// true: 400.
  virtual bool malformed_request(req& r);
  /// Not authorized: 401 with `www-authenticate`.
  virtual rest::auth_result is_authorized(req& r);
  /// true: 403.
  virtual bool forbidden(req& r);
  /// false: 501 (content-* fields the resource does not understand, RFC 9110 §8).
  virtual bool valid_content_headers(req& r);
  /// false: 413.
  virtual bool valid_entity_length(req& r);
  /// OPTIONS: set the response headers. The default sets `allow` to allowed_methods. 200
  /// follows unless the callback replied itself.
  virtual void options(req& r);

  // --- content negotiation (RFC 9110 §12) ---
  /// Representations, most preferred first. Default: text/html by `to_html`. No match for
  /// Accept, or an empty list: 406 (as cowboy_rest). With more than one, `vary: accept`.
  virtual std::vector<rest::provided_type> content_types_provided(req& r);
  /// Languages (lowercase tags), most preferred first; empty (default): not negotiated.
  virtual std::vector<std::string> languages_provided(req& r);
  /// Charsets (lowercase), most preferred first; empty (default): not negotiated. The chosen
  /// one is appended to the content-type as `; charset=`.
  virtual std::vector<std::string> charsets_provided(req& r);
  /// The default provider of content_types_provided; replace both together.
  virtual std::string to_html(req& r);

  // --- the resource ---
  /// false: the resource does not exist (404, 410, 301/307, or a PUT/POST that creates it).
  virtual bool resource_exists(req& r);
  /// For a missing resource: did it exist before (then the moves and 410 apply)?
  virtual bool previously_existed(req& r);
  /// A missing resource moved for good: 301 with `location`.
  virtual rest::moved moved_permanently(req& r);
  /// A missing resource moved for now: 307 with `location`.
  virtual rest::moved moved_temporarily(req& r);
  /// POST to a missing resource: process it anyway (true), or 404/410.
  virtual bool allow_missing_post(req& r);

  // --- validators (RFC 9110 §8.8) and freshness ---
  /// The current representation's entity tag, if any (sent as `etag`, used by If-Match and
  /// If-None-Match).
  virtual std::optional<http::entity_tag> generate_etag(req& r);
  /// The last modification, seconds since the epoch (sent as `last-modified`, used by
  /// If-Unmodified-Since and If-Modified-Since).
  virtual std::optional<std::time_t> last_modified(req& r);
  /// Sent as `expires` on GET/HEAD answers.
  virtual std::optional<std::time_t> expires(req& r);

  // --- changes ---
  /// Body media types this resource takes (POST, PUT, PATCH). A Content-Type that matches
  /// none: 415. Default: none.
  virtual std::vector<rest::accepted_type> content_types_accepted(req& r);
  /// PUT/PATCH (and PUT to a missing resource): true is 409.
  virtual bool is_conflict(req& r);
  /// DELETE: false is 500.
  virtual bool delete_resource(req& r);
  /// DELETE: false means accepted but not done yet: 202.
  virtual bool delete_completed(req& r);
  /// true: 300 instead of 200 (several representations the client should choose from).
  virtual bool multiple_choices(req& r);
  /// Largest request body read for an acceptor; beyond it the framework replies 413.
  virtual std::size_t max_body_length(req& r);

 protected:
  /// The body of the response to a POST, PUT, PATCH or DELETE (an acceptor's or
  /// delete_resource's result page). With one, those answer 200 rather than 204.
  void set_resp_body(std::string body) { resp_body_ = std::move(body); }

 private:
  struct walk;
  std::optional<std::string> resp_body_;
};

}  // namespace rodeo
