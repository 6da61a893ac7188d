#pragma once
/// \file
/// `result<T>`: a value, or a message saying what was wrong (g++ 12 has no std::expected).
/// The router's compile step returns one so that a bad route table stops start-up with one
/// clear line:
///
///     auto routes = rodeo::router::compile({...});
///     if (!routes) { fmt::print(stderr, "invalid routes: {}\n", routes.error()); return 2; }

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace rodeo::router {

/// The error side of a result<T>: a message for a human.
struct failure {
  std::string message;
};

/// A `T`, or a failure message.
template <class T>
class result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(failure f) : v_(std::in_place_index<1>, std::move(f.message)) {}

  /// True if the result holds a value.
  explicit operator bool() const noexcept { return v_.index() == 0; }
  bool has_value() const noexcept { return v_.index() == 0; }

  /// The value; throws std::logic_error carrying the failure message if there is none
  /// (reading a failed result is a caller's mistake: test it with `if (!r)` first).
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(value()); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  T& value() {
    check();
    return std::get<0>(v_);
  }
  const T& value() const {
    check();
    return std::get<0>(v_);
  }

  /// The failure message; empty when the result holds a value.
  const std::string& error() const noexcept {
    static const std::string none;
    return v_.index() == 1 ? std::get<1>(v_) : none;
  }

 private:
  void check() const {
    if (v_.index() != 0)
      throw std::logic_error("result has no value (test it before reading it): " + error());
  }

  std::variant<T, std::string> v_;
};

}  // namespace rodeo::router
