#pragma once
/// \file
/// `result<T>`: a value or a one-line error message. Start-up paths (route compilation,
/// listener options, TLS files) return it so that a bad configuration stops the program with
/// one clear line instead of an exception trace. (g++ 12 has no std::expected.)

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace rodeo {

/// Tag for constructing an error result: `return rodeo::failure("port 80 is in use");`
struct failure {
  std::string message;
  explicit failure(std::string m) : message(std::move(m)) {}
};

/// [[nodiscard]]: a result dropped on the floor is an error nobody reads.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(failure f) : v_(std::in_place_index<1>, std::move(f.message)) {}

  explicit operator bool() const { return v_.index() == 0; }
  bool has_value() const { return v_.index() == 0; }

  T& value() {
    if (!has_value()) throw std::runtime_error(error());
    return std::get<0>(v_);
  }
  const T& value() const {
    if (!has_value()) throw std::runtime_error(error());
    return std::get<0>(v_);
  }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error message; empty when there is a value.
  const std::string& error() const {
    static const std::string none;
    return has_value() ? none : std::get<1>(v_);
  }

 private:
  std::variant<T, std::string> v_;
};

}  // namespace rodeo
