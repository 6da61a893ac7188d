#include "rodeo/internal/stream/push_digest.hpp"

#include "rodeo/http/cookies.hpp"

namespace rodeo {

push_digest::push_digest(const headers& request_fields) {
  for (const auto& [name, value] : request_fields) {
    // A navigation revalidating its page has the page's assets in cache too.
    if (name == "if-none-match" || name == "if-modified-since") conditional_ = true;
    if (name != "cookie") continue;
    // RFC 6265 §5.4: a client sends its cookies in one field, but HTTP/2 may split it
    // (RFC 9113 §8.2.3): each field is a list of pairs. A malformed one is ignored here; the
    // handler reading cookies gets its own 400.
    if (auto pairs = http::try_parse_cookies(value))
      for (const auto& [n, v] : *pairs)
        if (n == cookie_name) received_ = http::golomb_set::decode(v);
  }
}

std::uint64_t push_digest::identity(std::string_view path, std::string_view qs,
                                    std::string_view validator) {
  std::string id{path};
  if (!qs.empty()) (id += '?') += qs;
  // A newline never appears in a path or a validator: the parts cannot run together.
  (id += '\n') += validator;
  return http::digest_hash(id);
}

std::optional<std::string> push_digest::set_cookie(bool secure) const {
  if (pushed_.empty()) return std::nullopt;
  http::golomb_set out = received_;
  bool fits = true;
  for (auto id : pushed_) fits = fits && out.insert(id);
  if (!fits) {
    out = {};
    for (auto id : pushed_) out.insert(id);
  }
  http::cookie_options opts;
  opts.path = "/";
  opts.max_age = max_age_seconds;
  opts.http_only = true;
  opts.secure = secure;
  opts.same_site = "Lax";
  return http::set_cookie_value(cookie_name, out.encode(), opts);
}

}  // namespace rodeo
