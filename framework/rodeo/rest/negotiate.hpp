#pragma once
/// \file
/// Content negotiation for rest_handler (RFC 9110 §12.5): which of the resource's media
/// types, languages and charsets best fits the client's Accept fields. Pure functions.
///
/// Each offer gets the quality of the most specific range that matches it (a `q=0` there
/// excludes it, even if `*/*` would take it); the highest quality wins; ties go to the range
/// the client listed first (the header order, as cowboy_rest), then to the server's order.
/// An absent field takes the server's first offer.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/http/accept.hpp"

namespace rodeo::rest {

/// `offers` are `type/subtype`, lowercase. Media range parameters are not compared.
[[nodiscard]] std::optional<std::size_t> choose_media_type(
    const std::vector<std::string>& offers,
    const std::optional<std::vector<http::media_range>>& accept);

/// `offers` are language tags, lowercase; a range matches a tag equal to it or a tag it is a
/// prefix of up to a '-' (RFC 4647 §3.3.1 basic filtering); `*` matches any.
[[nodiscard]] std::optional<std::size_t> choose_language(
    const std::vector<std::string>& offers,
    const std::optional<std::vector<http::weighted_token>>& accept_language);

/// `offers` are charset names, lowercase; `*` matches any.
[[nodiscard]] std::optional<std::size_t> choose_charset(
    const std::vector<std::string>& offers,
    const std::optional<std::vector<http::weighted_token>>& accept_charset);

/// Whether `pattern` (`type/subtype`, `type/*` or `*/*`) covers `type`/`subtype`
/// (content_types_accepted against a request's Content-Type).
[[nodiscard]] bool media_type_covers(std::string_view pattern, std::string_view type,
                                     std::string_view subtype);

}  // namespace rodeo::rest
