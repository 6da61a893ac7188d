#pragma once
/// \file
/// The HTTP/1.1 request parser: llhttp 8.1 plus the checks llhttp leaves to its user
/// (RFC 9112 §3.2 Host, §5.1 whitespace before the colon, §5.2 obs-fold, header block and
/// body limits). Bytes in, `request_sink` calls out; resumable across any split of the input.
///
/// It stops after every complete message (`parse_status::message_end`), so that its owner
/// decides between messages whether to read on (pipelining back-pressure, Connection: close,
/// an h2c upgrade). Bytes past that point are not consumed and must be offered again.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <llhttp.h>

#include "rodeo/internal/protocol/http1/request_sink.hpp"
#include "rodeo/internal/protocol/protocol.hpp"

namespace rodeo::http1 {

/// Why `request_parser::execute` returned.
enum class parse_status {
  need_more,    ///< every byte was consumed; the message (if any) is incomplete.
  message_end,  ///< a message ended; the bytes after it were not consumed.
  stopped,      ///< the sink said `stop`.
  failed,       ///< the input is invalid: answer `error_status()` and close.
};

/// The outcome of one `request_parser::execute` call.
struct parse_step {
  std::size_t consumed = 0;  ///< bytes of the input used; offer the rest again later.
  parse_status status = parse_status::need_more;
};

/// An llhttp request parser with Rodeo's checks. Not copyable or movable (llhttp keeps a
/// pointer to it).
class request_parser {
 public:
  /// `limits.max_header_block` and `limits.max_body` are enforced; `tls` sets the scheme.
  request_parser(request_sink& sink, const protocol_limits& limits, bool tls);
  request_parser(const request_parser&) = delete;
  request_parser& operator=(const request_parser&) = delete;

  /// Parses `data`, which continues the bytes consumed so far.
  parse_step execute(std::string_view data);

  /// The status to answer after `failed`: 400, 413, 431, 501 or 505.
  int error_status() const noexcept { return error_status_; }

  /// True from the first byte of a message to its end.
  bool in_message() const noexcept { return phase_ != phase::idle; }

  /// True from the first byte of a request head (an empty line before the request line
  /// counts) until its header block is complete.
  bool receiving_head() const noexcept {
    return phase_ == phase::head || (phase_ == phase::idle && leading_empty_ > 0);
  }

  /// Empty lines (CRLF) accepted before a request line; more are answered 400.
  static constexpr std::size_t max_leading_empty_lines = 8;

  /// True once the current message's header block was delivered (its body is being read).
  bool in_body() const noexcept { return phase_ == phase::body; }

 private:
  // Trailer fields arrive in the body phase (they are counted, not kept).
  enum class phase { idle, head, body };

  static const llhttp_settings_t& settings();
  static request_parser& self(llhttp_t* p) { return *static_cast<request_parser*>(p->data); }

  int fail(int status);
  std::uint64_t position(const char* at) const;
  char non_ws_before(const char* at) const;
  void remember_tail(std::size_t consumed);
  int head_span(const char* at, std::size_t length);
  int trailer_span(std::size_t length);
  int on_message_begin();
  int on_header_field(const char* at, std::size_t length);
  int on_header_field_complete();
  int on_header_value(const char* at, std::size_t length);
  int on_header_value_complete();
  int on_headers_complete();
  int check_head();
  int on_body(const char* at, std::size_t length);
  int on_message_complete();

  llhttp_t parser_{};
  request_sink& sink_;
  std::size_t max_header_block_;
  std::uint64_t max_body_;
  bool tls_;

  phase phase_ = phase::idle;
  int error_status_ = 0;
  bool stopped_ = false;
  // Absolute input offsets, to measure the header block and to see gaps between the pieces
  // of a field value (llhttp skips the CRLF of an obs-fold).
  std::uint64_t consumed_ = 0;  ///< input offset of `base_`
  const char* base_ = nullptr;  ///< start of the buffer llhttp is executing
  std::optional<std::uint64_t> head_start_;
  std::uint64_t value_end_ = 0;
  bool value_started_ = false;
  bool version_seen_ = false;
  char last_non_ws_ = 0;  ///< the last byte before `base_` that is not SP or HTAB
  std::uint64_t trailer_bytes_ = 0;
  std::size_t leading_empty_ = 0;  ///< CR and LF bytes before the current request line

  std::string method_, target_, field_, value_;
  parsed_request request_;
  std::optional<std::uint64_t> content_length_;
  bool chunked_ = false;
  std::uint64_t body_received_ = 0;
};

}  // namespace rodeo::http1
