#pragma once
/// \file
/// Turning a request's host and path into the tokens routes are matched against.
///
/// Hosts: the port is ignored, one trailing dot is ignored (a fully qualified "example.org."
/// is "example.org", RFC 3986 §3.2.2), labels split on '.'. An IP-literal ("[::1]") is one
/// label. An empty label ("a..b", ".a") makes the host malformed.
///
/// Paths (RFC 3986 §3.3): split on '/', then each segment percent-decoded on its own (§2.1),
/// so "%2F" yields a '/' inside its segment and never a new segment; "%00" yields a NUL
/// inside its segment too. Handlers that join segments into file names must reject both
/// (and backslashes), as Cowboy's static handler does. A trailing '/' adds no segment
/// ("/a/" is ["a"]), inner empty segments stay ("/a//b" is ["a", "", "b"]).
///
/// Dot segments (RFC 3986 §5.2.4), applied to the decoded segments so "%2E%2E" counts: "."
/// is dropped and ".." drops the segment before it. A ".." with nothing left to drop would
/// climb above the root; such a path is rejected (400), where Cowboy silently stays at the
/// root, so that no handler ever sees a path that tried to escape.

#include <string>
#include <string_view>
#include <vector>

namespace rodeo::router {

/// `host` without its port (":8080"); IP-literals keep their brackets. Also drops one
/// trailing dot. The view borrows from `host`.
std::string_view strip_port(std::string_view host) noexcept;

/// Splits `host` (already without its port) into labels, left to right, as views into
/// `host`. Returns false if a label is empty; "" gives no labels.
[[nodiscard]] bool split_host(std::string_view host, std::vector<std::string_view>& labels);

/// Appends the percent-decoding of `in` to `out`. False on a '%' not followed by two hex
/// digits (`out` then holds a partial result). '+' stays '+' (RFC 3986 has no '+' rule).
[[nodiscard]] bool percent_decode(std::string_view in, std::string& out);

/// A request path split into decoded, dot-normalized segments (see the file comment).
/// The segments are views into the object itself, so it can be neither copied nor moved.
class path_segments {
 public:
  explicit path_segments(std::string_view path);
  path_segments(const path_segments&) = delete;
  path_segments& operator=(const path_segments&) = delete;

  /// False if the path does not start with '/', holds a bad escape, or climbs above root.
  explicit operator bool() const noexcept { return ok_; }
  /// The segments, decoded; empty when the path is bad.
  const std::vector<std::string_view>& segments() const noexcept { return segments_; }

 private:
  bool ok_ = false;
  std::string buffer_;
  std::vector<std::string_view> segments_;
};

}  // namespace rodeo::router
