#pragma once
/// \file
/// Route bindings: the values the router extracted from the host and path (`:name`), after
/// constraints converted them. Each keeps its text and, when a constraint converted it, the
/// typed value (`int` gives std::int64_t; a user constraint gives whatever it returns).

#include <any>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rodeo {

class binding {
 public:
  binding() = default;
  explicit binding(std::string text) : text_(std::move(text)), value_(text_) {}
  binding(std::string text, std::any value) : text_(std::move(text)), value_(std::move(value)) {}

  /// The matched text, percent-decoded.
  const std::string& text() const { return text_; }

  /// The value as `T`: std::string always works; other types only if a constraint produced
  /// them. Throws std::invalid_argument naming the types otherwise.
  template <class T>
  T as() const {
    if constexpr (std::is_same_v<T, std::string>) {
      if (auto p = std::any_cast<std::string>(&value_)) return *p;
      return text_;
    } else {
      if (auto p = std::any_cast<T>(&value_)) return *p;
      throw std::invalid_argument("binding '" + text_ + "' holds a " + value_.type().name() +
                                  ", not the type asked for: read it with the type its "
                                  "constraint produces (int gives std::int64_t)");
    }
  }

  /// True if the value is a `T`.
  template <class T>
  bool is() const {
    return std::any_cast<T>(&value_) != nullptr;
  }

  const std::any& value() const { return value_; }

 private:
  std::string text_;
  std::any value_;
};

/// Bindings by name, as the router sets them on the req.
using bindings = std::map<std::string, binding, std::less<>>;

/// Host or path tokens matched by a trailing `[...]` (Cowboy's host_info / path_info).
/// Host tokens are in left-to-right order, path tokens in path order.
using path_tokens = std::vector<std::string>;

}  // namespace rodeo
