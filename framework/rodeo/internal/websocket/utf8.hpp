#pragma once
/// \file
/// UTF-8 validation for inflated text messages (RFC 6455 §8.1, RFC 3629 §4; wslay checks the
/// others as they arrive):
/// no overlong forms, no surrogates, nothing above U+10FFFF.

#include <string_view>

namespace rodeo::ws {

bool valid_utf8(std::string_view s) noexcept;

}  // namespace rodeo::ws
