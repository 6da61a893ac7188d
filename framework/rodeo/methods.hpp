#pragma once
/// \file
/// Method dispatch: one route target per request method, and the answers HTTP requires for the
/// others, so a plain handler never checks `req.method()` by hand.
///
///     {"/notes/:id", rodeo::methods{.get = rodeo::handler<note_h>(),
///                                   .delete_ = [](rodeo::req& r) { ... }}}
///
/// Each method takes a route target (`rodeo::handler<T>()`, `rodeo::handler_fn(f)`) or a
/// callable of `rodeo::req&` directly (made a handler_fn).
///
/// - a method with no target: 405 with `allow` listing the methods that have one (RFC 9110
///   §15.5.6: a 405 MUST carry `allow`);
/// - HEAD without a target runs the GET target; the connection drops the body, as HEAD requires
///   (RFC 9110 §9.3.2), and `allow` lists HEAD beside GET;
/// - OPTIONS without a target: 204 with `allow` (RFC 9110 §9.3.7).
///
/// A `methods` converts to a `route_target`, so it goes wherever `rodeo::handler<T>()` does.
/// The chosen target's handler is a handler like any other: it may loop, read the body, push.

#include <string>
#include <type_traits>
#include <utility>

#include "rodeo/handler.hpp"
#include "rodeo/handler_fn.hpp"

namespace rodeo {

/// One method's target in `rodeo::methods`: a route target, or a callable of `req&`.
class method_target {
 public:
  method_target() = default;
  method_target(route_target t) : target_(std::move(t)) {}  // NOLINT: implicit by design
  template <class F, std::enable_if_t<std::is_invocable_v<const F&, req&>, int> = 0>
  method_target(F f) : target_(handler_fn(std::move(f))) {}  // NOLINT: implicit by design

  const route_target& target() const { return target_; }
  explicit operator bool() const { return target_ != nullptr; }

 private:
  route_target target_;
};

struct methods {
  method_target get{};
  method_target head{};
  method_target post{};
  method_target put{};
  method_target patch{};
  method_target delete_{};  ///< DELETE (`delete` is a C++ keyword)
  method_target options{};

  /// The target for `method` (HEAD falls back to GET), or null.
  route_target find(const std::string& method) const;
  /// The `allow` field value: the methods that have a target, HEAD beside GET, in the order
  /// GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.
  std::string allow() const;

  /// A route target that dispatches on the request method. Throws usage_error if no method
  /// has a target.
  operator route_target() const;  // NOLINT(google-explicit-constructor): route tables use it
};

}  // namespace rodeo
