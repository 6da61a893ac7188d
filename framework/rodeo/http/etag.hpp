#pragma once
/// \file
/// Entity tags (RFC 9110 §8.8.3) and the If-Match / If-None-Match lists (RFC 9110 §13.1.1,
/// §13.1.2). Parsers return `std::nullopt` on a malformed value and never throw.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rodeo::http {

/// `W/"xyzzy"` is {"xyzzy", true}; `"xyzzy"` is {"xyzzy", false}.
struct entity_tag {
  std::string opaque;  ///< between the quotes, quotes excluded (may be empty)
  bool weak = false;

  friend bool operator==(const entity_tag&, const entity_tag&) = default;
};

/// The value of If-Match or If-None-Match: `*` (any current representation) or tags.
struct etag_list {
  bool any = false;              ///< the value was `*`
  std::vector<entity_tag> tags;  ///< in header order; empty when `any`

  friend bool operator==(const etag_list&, const etag_list&) = default;
};

/// RFC 9110 §8.8.3: `entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE` (the `W` is uppercase),
/// etagc = %x21 / %x23-7E / obs-text. For the ETag field.
[[nodiscard]] std::optional<entity_tag> parse_etag(std::string_view value);

/// RFC 9110 §13.1.1: `"*" / #entity-tag`, at least one tag.
[[nodiscard]] std::optional<etag_list> parse_if_match(std::string_view value);

/// RFC 9110 §13.1.2: `"*" / #entity-tag`, at least one tag.
[[nodiscard]] std::optional<etag_list> parse_if_none_match(std::string_view value);

/// The field value form: `W/"xyzzy"` or `"xyzzy"`. The opaque part is written as is: it
/// must hold etagc only (no '"', no controls) to be valid on the wire.
std::string to_string(const entity_tag& tag);

/// RFC 9110 §8.8.3.2 strong comparison (If-Match, Range with If-Range): both strong and the
/// same opaque tag.
bool etag_strong_match(const entity_tag& a, const entity_tag& b) noexcept;

/// RFC 9110 §8.8.3.2 weak comparison (If-None-Match): the same opaque tag, either or both
/// weak.
bool etag_weak_match(const entity_tag& a, const entity_tag& b) noexcept;

}  // namespace rodeo::http
