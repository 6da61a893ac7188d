#pragma once
/// \file
/// UTF-8 validation for text messages and close reasons (RFC 6455 §8.1, RFC 3629 §4):
/// no overlong forms, no surrogates, nothing above U+10FFFF.

#include <string_view>

namespace rodeo::ws {

bool valid_utf8(std::string_view s) noexcept;

}  // namespace rodeo::ws
