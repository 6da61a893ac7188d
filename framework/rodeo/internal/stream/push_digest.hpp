#pragma once
/// \file
/// Cache-aware push, h2o's "casper" idea: a response that pushed carries a cookie holding a
/// digest (rodeo::http::golomb_set) of the pushed resources' identities, path and validator
/// (the pushed response's ETag when the pusher knows it). A later request sends it back, and
/// pushes of resources in it are skipped as `client_cached`: the client has them, or had them
/// lately; a changed resource (new ETag) has a new identity and is pushed again. A
/// conditional request (If-None-Match / If-Modified-Since) says the client's cache is warm:
/// its pushes are skipped as `client_cached` too.
///
/// One per request that pushes, in its request actor: no locking.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/headers.hpp"
#include "rodeo/http/golomb_set.hpp"

namespace rodeo {

class push_digest {
 public:
  /// The cookie's name; its value is golomb_set text (base64url, at most 104 characters).
  static constexpr std::string_view cookie_name = "rodeo_pushed";
  /// How long a client keeps the cookie: about what a browser keeps static assets.
  static constexpr std::int64_t max_age_seconds = 7 * 24 * 3600;

  /// Reads the digest from the request's `cookie` fields (malformed or absent: empty) and
  /// whether the request is conditional.
  explicit push_digest(const headers& request_fields);

  /// The identity of a pushed resource.
  static std::uint64_t identity(std::string_view path, std::string_view qs,
                                std::string_view validator);

  /// Whether a push of `id` would be wasted: the request is conditional or `id` is in the
  /// client's digest.
  bool cached(std::uint64_t id) const { return conditional_ || received_.contains(id); }
  /// A push of `id` reached the wire.
  void pushed(std::uint64_t id) { pushed_.push_back(id); }

  /// The `set-cookie` value the response carries, when it pushed something. The client's
  /// digest and this response's pushes; past the cap, this response's pushes alone (the
  /// oldest are forgotten, so at worst pushed once more).
  std::optional<std::string> set_cookie(bool secure) const;

 private:
  http::golomb_set received_;
  std::vector<std::uint64_t> pushed_;
  bool conditional_ = false;
};

}  // namespace rodeo
