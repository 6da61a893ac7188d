#pragma once
/// \file
/// Route bindings: the values the router extracted from the host and path (`:name`), after
/// constraints converted them. Each keeps its text and, when a constraint converted it, the
/// typed value (`int` gives std::int64_t; a user constraint gives whatever it returns).

#include <any>
#include <charconv>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "rodeo/errors.hpp"
#include "rodeo/type_name.hpp"

namespace rodeo {

class binding {
 public:
  binding() = default;
  explicit binding(std::string text) : text_(std::move(text)), value_(text_) {}
  binding(std::string text, std::any value) : text_(std::move(text)), value_(std::move(value)) {}

  /// The matched text, percent-decoded.
  const std::string& text() const { return text_; }

  /// The value as `T`: std::string always works; an integer type parses the text when no
  /// constraint converted it; other types only if a constraint produced them. Otherwise a
  /// usage_error naming the binding (`name`, when given), its text and the types in words.
  template <class T>
  T as(std::string_view name = {}) const {
    if constexpr (std::is_same_v<T, std::string>) {
      if (auto p = std::any_cast<std::string>(&value_)) return *p;
      return text_;
    } else {
      if (auto p = std::any_cast<T>(&value_)) return *p;
      if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        if (std::any_cast<std::string>(&value_)) {
          T v{};
          const char* end = text_.data() + text_.size();
          auto [stop, ec] = std::from_chars(text_.data(), end, v);
          if (ec == std::errc{} && stop == end) return v;
          throw usage_error(
              described(name) +
              (ec == std::errc::result_out_of_range ? " is out of range for " : " is not ") +
              a_type_in_words(typeid(T)));
        }
      }
      throw usage_error(described(name) + " holds " + a_type_in_words(value_.type()) + ", not " +
                        a_type_in_words(typeid(T)) +
                        ": read it with the type its constraint produces (int gives "
                        "std::int64_t)");
    }
  }

  /// True if the value is a `T`.
  template <class T>
  bool is() const {
    return std::any_cast<T>(&value_) != nullptr;
  }

  const std::any& value() const { return value_; }

 private:
  // "binding 'name' = 'text'", or "binding 'text'" without a name.
  std::string described(std::string_view name) const {
    if (name.empty()) return "binding '" + text_ + "'";
    return "binding '" + std::string{name} + "' = '" + text_ + "'";
  }

  std::string text_;
  std::any value_;
};

/// Bindings by name, as the router sets them on the req.
using bindings = std::map<std::string, binding, std::less<>>;

/// Host or path tokens matched by a trailing `[...]` (Cowboy's host_info / path_info).
/// Host tokens are in left-to-right order, path tokens in path order.
using path_tokens = std::vector<std::string>;

}  // namespace rodeo
