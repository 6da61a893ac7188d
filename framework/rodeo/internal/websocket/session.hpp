#pragma once
/// \file
/// One WebSocket's framing (RFC 6455 §5), sans-I/O, on wslay's event API: bytes from the
/// client in, whole messages out; messages and a close in, bytes for the client out.
///
/// wslay does the framing rules: unmasked client frames, reserved bits and opcodes,
/// fragmented or oversized control frames, a continuation without a start, a length with
/// its top bit set (2^63) or not in its shortest form all close with 1002; text and close
/// reasons that are not UTF-8 close with 1007; pings are answered with pongs; a close is
/// answered with a close. This class adds what wslay leaves to its user: a frame size limit
/// (1009), permessage-deflate (RFC 7692) with its inflated-size limit (1009) and the UTF-8
/// check of inflated text (1007), a 1002 (not a codeless close) for the frame headers wslay
/// refuses, close frames handed to wslay whole (its check of a close reason is wrong when the
/// frame comes in pieces), and says when the close handshake is over.
///
/// Used by websocket_handler in the request actor, so HTTP/1.1 and HTTP/2 (RFC 8441, where
/// these bytes travel in DATA frames) share it.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/websocket/frame.hpp"
#include "rodeo/websocket/handshake.hpp"

struct wslay_event_context;

namespace rodeo::ws {

class deflate_codec;

class session {
 public:
  struct settings {
    std::size_t max_frame_size = 1024 * 1024;
    std::size_t max_message_size = 1024 * 1024;
    std::optional<deflate_params> deflate;
  };

  explicit session(const settings& s);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  /// Bytes from the client. The messages they complete are appended to `messages`, in
  /// order (pings included; closes are not: see close_received). Answers (pongs, the
  /// closing handshake, a close for a protocol error) are queued for take_output.
  void feed(std::string_view bytes, std::vector<frame>& messages);

  /// Queues a message. False once a close was queued or sent: nothing goes after it.
  bool send(const frame& f);
  /// Queues a close (RFC 6455 §5.5.1), unless one was queued already.
  void close(std::uint16_t code, std::string_view reason);

  /// Moves the bytes to send to the client to the end of `out`.
  void take_output(std::string& out);

  bool close_sent() const;
  bool close_received() const;
  /// The code of the client's close (close_code::no_status if it had none).
  std::uint16_t received_code() const { return received_code_; }
  /// The code this side closed with (0: none yet).
  std::uint16_t sent_code() const;
  /// True when this side closed first (close()), the client answering.
  bool initiated() const { return closing_; }
  /// True when this side closed because of what the client sent (1002, 1007, 1009).
  bool failed() const { return failed_; }
  /// The close handshake is over, or cannot go on: the stream can end.
  bool over() const;

 private:
  struct callbacks;

  /// Where the first frame header wslay's frame layer would reject begins in `bytes` (a
  /// control frame fragmented or above 125 bytes, a length with its top bit set or not in
  /// its shortest form), or npos.
  /// wslay answers those with a close without a code; this lets the session say 1002.
  std::size_t scan_headers(std::string_view bytes);

  /// Closes for a client error (1002, 1007, 1009) and stops reading.
  void fail(wslay_event_context* ctx, std::uint16_t code);

  std::unique_ptr<wslay_event_context, void (*)(wslay_event_context*)> ctx_;
  settings settings_;
  std::unique_ptr<deflate_codec> deflate_;
  std::string_view input_;
  std::string output_;
  std::vector<frame>* messages_ = nullptr;
  std::uint16_t received_code_ = 0;
  bool failed_ = false;   // this side closed for a client error
  bool fatal_ = false;    // wslay gave up: nothing more can be read or written
  bool closing_ = false;  // a close was queued by close()
  // scan_headers' place in the client's byte stream: a partial header, or payload to skip.
  std::string header_;
  std::uint64_t skip_ = 0;
  bool skip_close_ = false;  // the payload being skipped is a close frame's

  // wslay checks a close reason's UTF-8 per piece of payload it reads and skips two bytes
  // (the code) of every piece, so a close split across reads fails a valid reason and passes
  // a bad one (RFC 6455 §5.5.1, §8.1). A close frame (131 bytes at most) therefore reaches
  // wslay whole, at the start of one read: scan_headers marks where each one lies in the
  // input, the recv callback stops reads at those marks, and the start of a close frame
  // whose end has not arrived is held back for the next feed.
  struct close_span {
    std::size_t begin;
    std::size_t end;  // npos: the frame goes on past this input
    bool continued;   // it began in an earlier feed (its first bytes are in held_)
  };
  std::vector<close_span> closes_;
  std::string held_;
  std::size_t read_ = 0;  // how much of input_ wslay has read
};

}  // namespace rodeo::ws
