#pragma once
/// \file
/// The response contract of one stream as an explicit state machine: at most one final
/// response, 1xx only before it, a body only after `stream_reply`, and nothing after the end
/// (RFC 9110 §15: 1xx are interim, one final response per request; RFC 9110 §6.5 and
/// RFC 9112 §7.1.2 / RFC 9113 §8.1: trailers end the message).
///
///     idle, informational --inform--> informational
///     idle, informational --reply--> done
///     idle, informational --stream_reply--> headers_sent --body--> body
///     headers_sent, body --body_fin or trailers--> done
///     idle, informational --crash--> done (the connection answers 500)
///     headers_sent, body --crash--> reset
///     any state but done and reset --reset--> reset
///     done, reset: everything else is refused or dropped (the table in the test)
///
/// `req` checks each handler call against it and turns a misuse into a `usage_error`; both
/// protocol engines keep one `response_state` per stream instead of progress flags and drop a
/// command the machine refuses. Pure and header-only: the sans-I/O engine libraries and `req`
/// share it without a library of its own.

#include <cstdint>

namespace rodeo {

/// How far the response of one stream went.
enum class response_state : std::uint8_t {
  idle,           ///< nothing sent yet
  informational,  ///< one or more 1xx sent, no final response yet
  headers_sent,   ///< stream_reply sent the final response head; no body piece yet
  body,           ///< streamed body pieces sent, the end not yet
  done,           ///< the response is complete (reply, body with fin, trailers, or the 500)
  reset,          ///< the response was abandoned mid-way: the stream is reset
};

/// What a stream's response is asked to do next.
enum class response_event : std::uint8_t {
  inform,        ///< a 1xx response
  reply,         ///< a complete final response
  stream_reply,  ///< the head of a streamed final response
  body,          ///< a piece of the streamed body, not the last
  body_fin,      ///< the last piece of the streamed body
  trailers,      ///< trailer fields, which end the streamed body
  reset,         ///< abandon the stream (the engine resets it)
  crash,         ///< the handler threw
};

/// What to do with an event, given the state it arrives in.
enum class response_effect : std::uint8_t {
  send,       ///< legal: send it as asked
  drop,       ///< nothing to send: the response is complete or abandoned already
  reply_500,  ///< crash before the final response: answer 500 Internal Server Error
  reset,      ///< crash after the final response started: reset the stream
  // Misuses (a handler's mistake; the engines drop the command):
  final_sent,     ///< a 1xx or final response after the final response started
  not_streaming,  ///< a body or trailers without stream_reply first
  ended,          ///< a body or trailers after the response was complete
};

/// One transition: the state after the event, and what to do with it.
struct response_step {
  response_state next;
  response_effect effect;
  friend constexpr bool operator==(response_step, response_step) = default;
};

/// True for the effects that are a handler's mistake.
constexpr bool is_misuse(response_effect e) {
  return e == response_effect::final_sent || e == response_effect::not_streaming ||
         e == response_effect::ended;
}

/// No final response yet: a 1xx, reply or stream_reply may still come.
constexpr bool before_final(response_state s) {
  return s == response_state::idle || s == response_state::informational;
}

/// The final response started and is not over: body pieces and trailers may come.
constexpr bool streaming(response_state s) {
  return s == response_state::headers_sent || s == response_state::body;
}

/// Nothing more will be sent: complete or reset.
constexpr bool response_over(response_state s) {
  return s == response_state::done || s == response_state::reset;
}

/// The transition function: every (state, event) pair has one outcome. A misuse or a drop
/// leaves the state as it was.
constexpr response_step next_response_state(response_state s, response_event e) {
  using st = response_state;
  using ev = response_event;
  using fx = response_effect;
  if (s == st::reset) return {s, fx::drop};  // the stream is gone: nothing more goes out
  switch (e) {
    case ev::inform:
      if (before_final(s)) return {st::informational, fx::send};
      return {s, fx::final_sent};
    case ev::reply:
      if (before_final(s)) return {st::done, fx::send};
      return {s, fx::final_sent};
    case ev::stream_reply:
      if (before_final(s)) return {st::headers_sent, fx::send};
      return {s, fx::final_sent};
    case ev::body:
    case ev::body_fin:
    case ev::trailers:
      if (before_final(s)) return {s, fx::not_streaming};
      if (s == st::done) return {s, fx::ended};
      return {e == ev::body ? st::body : st::done, fx::send};
    case ev::reset:
      // A complete response is delivered, not cut: resetting it could only lose it.
      if (s == st::done) return {s, fx::drop};
      return {st::reset, fx::send};
    case ev::crash:
      if (before_final(s)) return {st::done, fx::reply_500};
      if (s == st::done) return {s, fx::drop};
      return {st::reset, fx::reset};
  }
  return {s, fx::drop};
}

/// Names for messages and test output, in the order of each enum.
constexpr const char* to_string(response_state s) {
  constexpr const char* names[] = {"idle", "informational", "headers_sent",
                                   "body", "done",          "reset"};
  return names[static_cast<int>(s)];
}

constexpr const char* to_string(response_event e) {
  constexpr const char* names[] = {"inform",   "reply",    "stream_reply", "body",
                                   "body_fin", "trailers", "reset",        "crash"};
  return names[static_cast<int>(e)];
}

constexpr const char* to_string(response_effect f) {
  constexpr const char* names[] = {
      "send",         "drop", "reply_500", "reset", "misuse: final_sent", "misuse: not_streaming",
      "misuse: ended"};
  return names[static_cast<int>(f)];
}

}  // namespace rodeo
