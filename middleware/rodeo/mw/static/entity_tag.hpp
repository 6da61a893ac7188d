#pragma once
/// \file
/// Entity tags (RFC 9110 §8.8.3) and their comparison (§8.8.3.2), and the `"*" / #entity-tag`
/// lists If-Match and If-None-Match carry (§13.1.1, §13.1.2).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rodeo::mw::static_files {

struct entity_tag {
  bool weak = false;   ///< W/ prefix
  std::string opaque;  ///< between the quotes, quotes excluded
};

/// Parses exactly one entity-tag (`"abc"` or `W/"abc"`); nullopt if `text` is anything else.
std::optional<entity_tag> parse_entity_tag(std::string_view text);

/// An If-Match / If-None-Match value: `*` (any) or a list of tags.
struct etag_condition {
  bool any = false;
  std::vector<entity_tag> tags;
};

/// Parses `*` or `#entity-tag` (empty list elements allowed, RFC 9110 §5.6.1); nullopt if
/// malformed.
std::optional<etag_condition> parse_etag_condition(std::string_view text);

/// Strong comparison: both strong and the same opaque tag.
bool strong_match(const entity_tag& a, const entity_tag& b);

/// Weak comparison: the same opaque tag, weakness ignored.
bool weak_match(const entity_tag& a, const entity_tag& b);

}  // namespace rodeo::mw::static_files
