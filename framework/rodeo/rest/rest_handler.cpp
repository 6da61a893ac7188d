#include "rodeo/rest/rest_handler.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "rodeo/http/date.hpp"
#include "rodeo/req.hpp"
#include "rodeo/rest/conditional.hpp"
#include "rodeo/rest/negotiate.hpp"

namespace rodeo {

// --- Cowboy's defaults ---

bool rest_handler::service_available(req&) { return true; }
std::vector<std::string> rest_handler::known_methods(req&) {
  return {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
}
bool rest_handler::uri_too_long(req&) { return false; }
std::vector<std::string> rest_handler::allowed_methods(req&) { return {"GET", "HEAD", "OPTIONS"}; }
bool rest_handler::malformed_request(req&) { return false; }
rest::auth_result rest_handler::is_authorized(req&) { return rest::auth_result::ok(); }
bool rest_handler::forbidden(req&) { return false; }
bool rest_handler::valid_content_headers(req&) { return true; }
bool rest_handler::valid_entity_length(req&) { return true; }
std::vector<rest::provided_type> rest_handler::content_types_provided(req&) {
  return {{"text/html", [this](req& r) { return to_html(r); }}};
}
std::vector<std::string> rest_handler::languages_provided(req&) { return {}; }
std::vector<std::string> rest_handler::charsets_provided(req&) { return {}; }
std::string rest_handler::to_html(req&) {
  throw usage_error(
      "rest_handler: content_types_provided names the default to_html, which the handler does "
      "not define; override to_html or content_types_provided");
}
bool rest_handler::resource_exists(req&) { return true; }
bool rest_handler::previously_existed(req&) { return false; }
rest::moved rest_handler::moved_permanently(req&) { return std::nullopt; }
rest::moved rest_handler::moved_temporarily(req&) { return std::nullopt; }
bool rest_handler::allow_missing_post(req&) { return true; }
std::optional<http::entity_tag> rest_handler::generate_etag(req&) { return std::nullopt; }
std::optional<std::time_t> rest_handler::last_modified(req&) { return std::nullopt; }
std::optional<std::time_t> rest_handler::expires(req&) { return std::nullopt; }
std::vector<rest::accepted_type> rest_handler::content_types_accepted(req&) { return {}; }
bool rest_handler::is_conflict(req&) { return false; }
bool rest_handler::delete_resource(req&) { return false; }
bool rest_handler::delete_completed(req&) { return true; }
bool rest_handler::multiple_choices(req&) { return false; }
std::size_t rest_handler::max_body_length(req&) { return 8 * 1024 * 1024; }

void rest_handler::options(req& r) {
  std::string allow;
  for (const auto& m : allowed_methods(r)) allow += (allow.empty() ? "" : ", ") + m;
  r.set_resp_header("allow", std::move(allow));
}

// --- the walk through the diagram (docs/rest.md) ---
//
// Every step returns true when the request is answered (by the walk or by a callback that
// replied itself), false to go on. The walk lives on the heap: an acceptor runs once the body
// is read, after init returned.

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

struct rest_handler::walk : std::enable_shared_from_this<walk> {
  rest_handler& h;
  req& r;
  const std::string method;
  const bool get_or_head;
  std::string content_type;  // negotiated, with the charset
  rest::provider provider;
  rest::validators current;

  walk(rest_handler& handler, req& request)
      : h(handler),
        r(request),
        method(request.method()),
        get_or_head(method == "GET" || method == "HEAD") {}

  // Answers with `status` unless a callback already replied.
  bool halt(int status, std::string body = {}) {
    if (!r.replied()) {
      headers fields;
      if (!body.empty()) fields.emplace_back("content-type", content_type);
      r.reply(status, fields, std::move(body));
    }
    return true;
  }

  void run() {
    if (checks() || negotiate()) return;
    current.exists = h.resource_exists(r);
    if (r.replied()) return;
    if (current.exists) {
      current.etag = h.generate_etag(r);
      current.last_modified = h.last_modified(r);
      if (r.replied() || preconditions()) return;
      existing();
    } else {
      if (preconditions()) return;
      missing();
    }
  }

  // Service, method, request and authorization checks; OPTIONS ends here.
  bool checks() {
    if (!h.service_available(r) || r.replied()) return halt(503);
    if (!contains(h.known_methods(r), method) || r.replied()) return halt(501);
    if (h.uri_too_long(r) || r.replied()) return halt(414);
    auto allowed = h.allowed_methods(r);
    if (r.replied()) return true;
    if (!contains(allowed, method)) {
      // RFC 9110 §15.5.6: a 405 lists the allowed methods.
      r.set_resp_header("allow", join(allowed));
      return halt(405);
    }
    if (h.malformed_request(r) || r.replied()) return halt(400);
    auto auth = h.is_authorized(r);
    if (r.replied()) return true;
    if (!auth.authorized) {
      // RFC 9110 §15.5.2: a 401 carries at least one challenge.
      if (!auth.www_authenticate.empty())
        r.set_resp_header("www-authenticate", auth.www_authenticate);
      return halt(401);
    }
    if (h.forbidden(r) || r.replied()) return halt(403);
    if (!h.valid_content_headers(r) || r.replied()) return halt(501);
    if (!h.valid_entity_length(r) || r.replied()) return halt(413);
    if (method == "OPTIONS") {
      h.options(r);
      return halt(200);
    }
    return false;
  }

  // Media type, language, charset (RFC 9110 §12.5); `vary` names the fields that chose.
  bool negotiate() {
    std::vector<std::string> vary;
    auto provided = h.content_types_provided(r);
    if (r.replied()) return true;
    std::vector<std::string> types;
    for (const auto& p : provided) types.push_back(p.media_type);
    if (types.size() > 1) vary.emplace_back("accept");
    auto type = rest::choose_media_type(types, r.parse_accept());
    if (!type) return not_acceptable(vary);
    provider = provided[*type].provider;
    content_type = types[*type];

    auto languages = h.languages_provided(r);
    if (r.replied()) return true;
    if (!languages.empty()) {
      if (languages.size() > 1) vary.emplace_back("accept-language");
      auto lang = rest::choose_language(languages, r.parse_accept_language());
      if (!lang) return not_acceptable(vary);
      r.set_resp_header("content-language", languages[*lang]);
    }
    auto charsets = h.charsets_provided(r);
    if (r.replied()) return true;
    if (!charsets.empty()) {
      if (charsets.size() > 1) vary.emplace_back("accept-charset");
      auto cs = rest::choose_charset(charsets, r.parse_accept_charset());
      if (!cs) return not_acceptable(vary);
      content_type += "; charset=" + charsets[*cs];
    }
    if (!vary.empty()) r.set_resp_header("vary", join(vary));
    return false;
  }

  bool not_acceptable(const std::vector<std::string>& vary) {
    if (!vary.empty()) r.set_resp_header("vary", join(vary));
    return halt(406);
  }

  // RFC 9110 §13.2.2, against the current representation (none when missing).
  bool preconditions() {
    rest::preconditions p{r.parse_if_match(), r.parse_if_unmodified_since(),
                          r.parse_if_none_match(), r.parse_if_modified_since()};
    switch (rest::evaluate_preconditions(p, current, get_or_head)) {
      case rest::precondition_outcome::proceed:
        return false;
      case rest::precondition_outcome::not_modified:
        // RFC 9110 §15.4.5: a 304 carries the validators and expiry a 200 would.
        if (!set_validators()) return true;
        return halt(304);
      case rest::precondition_outcome::failed:
        return halt(412);
    }
    return false;
  }

  // etag, last-modified, expires on the response; false if `expires` replied itself.
  bool set_validators() {
    if (current.etag) r.set_resp_header("etag", http::to_string(*current.etag));
    if (current.last_modified)
      r.set_resp_header("last-modified", http::format_http_date(*current.last_modified));
    auto exp = h.expires(r);
    if (r.replied()) return false;
    if (exp) r.set_resp_header("expires", http::format_http_date(*exp));
    return true;
  }

  void existing() {
    if (method == "DELETE") {
      if (!h.delete_resource(r) || r.replied()) return void(halt(500));
      if (!h.delete_completed(r) || r.replied()) return void(halt(202));
      return void(done());
    }
    if (method == "PUT" || method == "PATCH") {
      if (h.is_conflict(r) || r.replied()) return void(halt(409));
      return accept(false);
    }
    if (method == "POST") return accept(false);
    if (get_or_head) {
      if (!set_validators()) return;
      std::string body = provider(r);
      if (r.replied()) return;
      if (h.multiple_choices(r) || r.replied()) return void(halt(300, std::move(body)));
      return void(halt(200, std::move(body)));
    }
    done();  // another allowed method: nothing more to decide
  }

  void missing() {
    if (method == "PUT") {
      // A PUT to a missing resource creates it, unless it moved or would conflict.
      if (moved()) return;
      if (h.is_conflict(r) || r.replied()) return void(halt(409));
      return accept(true);
    }
    if (h.previously_existed(r)) {
      if (r.replied() || moved()) return;
      if (method == "POST" && h.allow_missing_post(r) && !r.replied()) return accept(true);
      return void(halt(410));
    }
    if (r.replied()) return;
    if (method == "POST" && h.allow_missing_post(r) && !r.replied()) return accept(true);
    halt(404);
  }

  // 301 or 307 with `location` if the resource moved.
  bool moved() {
    using move_callback = rest::moved (rest_handler::*)(req&);
    const std::pair<move_callback, int> moves[] = {{&rest_handler::moved_permanently, 301},
                                                   {&rest_handler::moved_temporarily, 307}};
    for (const auto& [callback, status] : moves) {
      auto to = (h.*callback)(r);
      if (r.replied()) return true;
      if (to) {
        r.set_resp_header("location", *to);
        return halt(status);
      }
    }
    return false;
  }

  // The acceptor of the request's Content-Type, run once the body is read.
  void accept(bool created) {
    auto accepted = h.content_types_accepted(r);
    if (r.replied()) return;
    auto ct = r.parse_content_type();
    if (!ct) return void(halt(415));
    const rest::accepted_type* chosen = nullptr;
    for (const auto& a : accepted)
      if (rest::media_type_covers(a.media_type, ct->type, ct->subtype)) {
        chosen = &a;
        break;
      }
    if (!chosen) return void(halt(415));
    auto self = shared_from_this();
    r.read_body(
        [self, created, acceptor = chosen->acceptor](req&, std::string body) {
          self->accepted(acceptor(self->r, std::move(body)), created);
        },
        h.max_body_length(r));
  }

  void accepted(const rest::accept_result& result, bool created) {
    if (r.replied()) return;
    using kind = rest::accept_result::kind;
    switch (result.outcome) {
      case kind::refused:
        return void(halt(400));
      case kind::created:
        r.set_resp_header("location", result.location);
        return void(halt(201, take_body()));
      case kind::see_other:
        r.set_resp_header("location", result.location);
        return void(halt(303, take_body()));
      case kind::ok:
        // RFC 9110 §9.3.4: a PUT that created the resource answers 201.
        if (created && method == "PUT") return void(halt(201, take_body()));
        return void(done());
    }
  }

  std::string take_body() {
    std::string b = h.resp_body_.value_or(std::string{});
    h.resp_body_.reset();
    return b;
  }

  // A change succeeded: 200 with the handler's body (or 300 if it offers choices), else 204.
  bool done() {
    if (!h.resp_body_) return halt(204);
    if (h.multiple_choices(r) || r.replied()) return halt(300, take_body());
    return halt(200, take_body());
  }
};

handler_result rest_handler::init(req& r) {
  std::make_shared<walk>(*this, r)->run();
  return handler_result::ok;
}

}  // namespace rodeo
