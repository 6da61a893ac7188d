#pragma once
/// \file
/// The access log as a stream handler: one line per stream end, built in and first in every
/// listener's chain (listener_options::access_log, access_log_format).
///
/// The format is text with `$name` or `${name}` variables (nginx's log_format style; `$$` is a
/// dollar sign):
///
///   remote_addr  the peer, "address:port"      method, path, qs   as requested
///   request_uri  path, then "?qs" when qs is not empty
///   status       final status sent (0: none)   bytes_in, bytes_out  body bytes
///   duration_us  request head to end           ttfb_us  request head to response head
///   protocol     http/1.1, h2, h2c or h3       stream   the stream id
///   pushed       " pushed" for a server push, else empty
///   pushes       when the request pushed: " push=promised:N,hinted:N,skipped:N" (what became
///                of its req.push calls), else empty
///   reason       normal, reset, crash, timeout, connection_closed
///   ended        empty for a normal end, else " " and the reason
///
/// Streams that end otherwise than normally (client resets, closed connections) are logged
/// too, with `$ended` saying how.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/result.hpp"
#include "rodeo/stream_handler.hpp"

namespace rodeo {

class access_log_format {
 public:
  /// Today's line: `127.0.0.1:5123 "GET /a?b=1" 200 10 52us h2 stream=1`, then the push
  /// outcomes of a request that pushed (` push=promised:4,hinted:0,skipped:0`).
  static constexpr std::string_view default_format =
      "$remote_addr \"$method $request_uri\" $status $bytes_out ${duration_us}us $protocol "
      "stream=$stream$pushed$pushes$ended";

  /// Compiles `format`; an unknown variable is an error naming it.
  static result<access_log_format> parse(std::string_view format);

  /// The line for `e`.
  std::string format(const stream_end& e) const;

  enum class field {
    text,
    remote_addr,
    method,
    path,
    qs,
    request_uri,
    status,
    bytes_in,
    bytes_out,
    duration_us,
    ttfb_us,
    protocol,
    stream,
    pushed,
    pushes,
    reason,
    ended
  };

 private:
  struct part {
    field f;
    std::string text;
  };
  std::vector<part> parts_;
};

/// The factory of the access log handler. `write` receives each line; by default the
/// `rodeo.access` logger (stdout) at info level.
stream_handler_factory access_log_stream_h(access_log_format format,
                                           std::function<void(const std::string&)> write = {});

}  // namespace rodeo
