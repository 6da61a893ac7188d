#pragma once
/// \file
/// Commands a request actor sends its connection: Cowboy's "commands as data". Each travels
/// with its stream id; the connection applies them to the protocol engine in arrival order.

#include <memory>
#include <string>
#include <variant>

#include "rodeo/body_bytes.hpp"
#include "rodeo/headers.hpp"
#include "rodeo/request_head.hpp"

namespace rodeo {
class meta;
class push_reservation;
}  // namespace rodeo

namespace rodeo::cmd {

struct inform {
  int status;
  headers fields;
};
/// `body` may share an immutable buffer (body_bytes::share): it reaches the wire uncopied.
struct reply {
  int status;
  headers fields;
  body_bytes body;
};
struct stream_reply {
  int status;
  headers fields;
};
struct body {
  body_bytes data;
  bool fin;
};
struct trailers {
  headers fields;
};
/// The handler threw while its response was open: 500 if no final response started,
/// otherwise reset the stream. After a complete response req sends none: it is delivered.
/// For the 500: the response headers set before the crash and the error page's body (with its
/// content-type among the fields); an empty body is the framework's text/plain one.
struct crash {
  headers fields{};
  std::string body{};
};
/// Tell the actor (drain message) once the stream's queued output is low.
struct watch_drain {};
/// Promise `promised` on this (parent) stream and run it as a pushed request. `reservation`
/// holds the push's slot and dedupe key until the promise is made; a command dropped on the
/// way (the parent reset, the connection gone) gives them back.
struct push {
  request_head promised;
  std::string key;
  /// A copy of the parent's per-request store (push_options::share_meta), or null.
  std::shared_ptr<const rodeo::meta> meta;
  /// The push's concurrency slot and dedupe key: a command dropped on the way frees them.
  std::shared_ptr<push_reservation> reservation;
};

}  // namespace rodeo::cmd

namespace rodeo {

using command = std::variant<cmd::inform, cmd::reply, cmd::stream_reply, cmd::body, cmd::trailers,
                             cmd::crash, cmd::watch_drain, cmd::push>;

}  // namespace rodeo
