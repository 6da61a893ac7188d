#pragma once
/// \file
/// A field (header) line of an HTTP/3 field section: the push layer's own small type, so that
/// it depends on nothing but nghttp3.

#include <string>

namespace rodeo::http3::push {

struct field {
  std::string name;  ///< lowercase (RFC 9114 §4.2); pseudo-fields start with ':'
  std::string value;
  bool operator==(const field&) const = default;
};

}  // namespace rodeo::http3::push
