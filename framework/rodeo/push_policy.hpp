#pragma once
/// \file
/// How `req.push` delivers a resource to a client: a PUSH_PROMISE when the client takes
/// pushes, a `103 Early Hints` with a preload link (RFC 8297) when it cannot, or nothing.
/// Set per listener (`listener_options::push_policy`) and per route (`push_policy_key` in
/// the env, read by the handler middleware before the handler's init runs).

#include <string_view>

#include "rodeo/env.hpp"

namespace rodeo {

enum class push_policy {
  push_or_hint,  ///< push; a client that cannot take pushes gets an early hint instead
  push_only,     ///< push, or nothing (the behaviour before early hints)
  hint_only,     ///< never push; every push becomes an early hint
  off,           ///< `req.push` does nothing (outcome `policy`)
};

/// The policy for the rest of a request's chain: a middleware (or the router, per route)
/// sets it; the handler middleware applies it to the req before the handler's init.
inline const env_key<rodeo::push_policy> push_policy_key{"push_policy"};

/// A listener's delivery settings, which every request on it starts from.
struct push_delivery {
  rodeo::push_policy policy = push_policy::push_or_hint;
  /// Early hints over HTTP/1.1 too. Off by default: browsers act on a 103 only over HTTP/2
  /// and HTTP/3, and some old HTTP/1.1 clients take a 1xx for the final response.
  bool hints_over_http1 = false;
};

std::string_view to_string(push_policy p);

}  // namespace rodeo
