#pragma once
/// \file
/// The push contract (RFC 9113 §8.4): what `req.push` takes and what it reports.
///
/// A push either reaches the wire (a PUSH_PROMISE on the parent stream, then a synthesized
/// GET/HEAD request routed like any client request, in its own actor), or is skipped because
/// the environment said no (a `push_skip` reason, recorded and counted, never an exception),
/// or throws `usage_error` because the handler made a mistake. A push the client cannot take
/// may become an early hint instead (push_policy.hpp): its outcome is then `hinted`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/headers.hpp"

namespace rodeo {

/// Overrides for the promised request; unset fields inherit from the current request.
struct push_options {
  std::string method = "GET";           ///< GET or HEAD (safe and cacheable, no content)
  std::optional<std::string> scheme{};  ///< default: the request's scheme
  std::optional<std::string> host{};    ///< default: the request's host
  std::optional<std::uint16_t> port{};  ///< default: the request's port
  std::string qs{};                     ///< default: empty query string
  /// Fields of the current request to copy into the promised one, by lowercase name
  /// (`{"authorization", "cookie"}`), so a pushed route behind an auth middleware sees the
  /// client's credentials. A name the request lacks is skipped; a field given in `fields`
  /// wins over an inherited one. Validated as fields are: no pseudo-headers, no
  /// connection-specific fields (RFC 9113 §8.2.2).
  std::vector<std::string> inherit{};
  /// When true the pushed request starts with a copy of this request's per-request store
  /// (req.meta(), as it is at the push call), so what a middleware found (the authenticated
  /// user) is there without redoing the work. Values are copied (rodeo/meta.hpp).
  bool share_meta = false;
  /// The pushed response's validator (its ETag) when the pusher knows it: part of the
  /// resource's identity in the pushed-resources digest, so a changed resource is pushed
  /// again. Empty: the path alone identifies it.
  std::string validator{};
};

/// Why a push did nothing on the wire.
enum class push_skip {
  none,                ///< not skipped: promised
  http1,               ///< HTTP/1.x has no push
  disabled_by_client,  ///< the client sent SETTINGS_ENABLE_PUSH = 0
  nested,              ///< the current request is itself pushed
  connection_closing,  ///< GOAWAY sent or received
  concurrency_limit,   ///< the client's SETTINGS_MAX_CONCURRENT_STREAMS is reached
  duplicate,           ///< the same (method, authority, path, qs) was pushed on this connection
  stream_closed,       ///< the parent stream is gone (the client reset it)
  output_full,         ///< the connection's or the listener's queued output is at its limit
  policy,              ///< the push policy said no push (push_policy.hpp: `off`, `hint_only`)
  /// the client has it cached: it is in the request's pushed-resources digest cookie, or the
  /// request is conditional (If-None-Match / If-Modified-Since: a warm cache). Nothing is
  /// hinted for it either.
  client_cached,
  /// HTTP/3: the client sent no MAX_PUSH_ID (RFC 9114 §7.2.7), so no push ID may be used;
  /// every browser today.
  no_push_id,
  /// HTTP/3: every push ID up to the client's MAX_PUSH_ID is used (RFC 9114 §4.6).
  push_ids_exhausted,
};

std::string_view to_string(push_skip s);

/// RFC 3986 §5.2.4: `/a/../b` is `/b`, `/./x` is `/x`. req.push promises the path with its dot
/// segments removed, the form a client's own request for the resource has (clients resolve
/// references before they request them), so that the push can match it.
std::string remove_dot_segments(std::string_view absolute_path);

/// Checks the arguments of a push against RFC 9113 §8.4 and §8.2.2; throws usage_error
/// naming the offending part. Nothing reaches the wire when it throws.
void validate_push(std::string_view path, const headers& fields, const push_options& opts);

struct push_outcome {
  std::string method, authority, path, qs;
  push_skip skipped = push_skip::none;
  /// Not pushed (`skipped` says why) but sent as a preload link in a `103 Early Hints`.
  bool hinted = false;
  bool promised() const { return skipped == push_skip::none; }
};

}  // namespace rodeo
