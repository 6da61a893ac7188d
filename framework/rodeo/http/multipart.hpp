#pragma once
/// \file
/// `multipart/form-data` (RFC 7578) bodies, read part by part as Cowboy's `cow_multipart`:
/// a pure, sans-I/O parser. Feed it the body in pieces of any size, pull events from it
/// (a part's headers, pieces of its data, its end, the end of the body); it keeps at most one
/// part's header block and a delimiter's length of data, whatever the body's size.
///
/// `rodeo::read_multipart` (rodeo/body/multipart.hpp) drives it from a request's body.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rodeo/headers.hpp"

namespace rodeo::http {

/// Bounds on what one body may make the parser hold or produce.
struct multipart_limits {
  /// The most bytes of one part's header block (its fields and the blank line).
  std::size_t header_bytes = 8 * 1024;
  /// The most parts in the body.
  std::size_t parts = 100;
  /// The most bytes of the whole body (preamble and epilogue included).
  std::uint64_t total_bytes = 8 * 1024 * 1024;
};

/// One part's header block, as RFC 7578 §4 defines it.
struct multipart_part {
  /// All the part's header fields, names lowercase, values without surrounding whitespace.
  rodeo::headers fields;
  /// The form field's name: Content-Disposition's `name` parameter (RFC 7578 §4.2).
  std::string name;
  /// The `filename` parameter, when the part is a file (RFC 7578 §4.2).
  std::optional<std::string> filename;
  /// The part's Content-Type; `text/plain` when absent (RFC 7578 §4.4).
  std::string content_type = "text/plain";
};

/// What `multipart_parser::next` found.
enum class multipart_event_kind {
  need_more,  ///< everything fed so far was consumed: feed more (or finish)
  part,       ///< a part's header block: `part` is set
  data,       ///< a piece of the current part's data: `data` is set (never empty)
  part_end,   ///< the current part's data is over
  done,       ///< the close delimiter was read: the body is complete
  malformed,  ///< the body breaks RFC 7578 / RFC 2046: `error` says how
  too_large,  ///< a limit was exceeded: `error` says which
};

struct multipart_event {
  multipart_event_kind kind = multipart_event_kind::need_more;
  multipart_part part;  ///< for `part`
  std::string data;     ///< for `data`
  std::string error;    ///< for `malformed` and `too_large`
};

/// The `boundary` parameter of a `multipart/form-data` Content-Type value, checked against
/// RFC 2046 §5.1.1 (1 to 70 characters of bchars, not ending in a space). std::nullopt when
/// the value is not multipart/form-data or the boundary is missing or invalid.
[[nodiscard]] std::optional<std::string> multipart_boundary(std::string_view content_type);

/// Content-Disposition for a form part (RFC 7578 §4.2): `form-data; name="n"[; filename="f"]`.
/// Returns false (and leaves `part` as it was) when the value is not `form-data` with a name.
bool parse_form_disposition(std::string_view value, multipart_part& part);

/// Reads a multipart body from pieces fed in order. Never throws on any input; a broken body
/// is a `malformed` event, after which the parser only repeats it.
class multipart_parser {
 public:
  multipart_parser(std::string boundary, multipart_limits limits = {});

  /// Appends the next piece of the body.
  void feed(std::string_view data);
  /// Says no more input will come: a body that ended early is then `malformed`.
  void finish() { finished_ = true; }
  /// The next event. Call until it is `need_more` after each `feed`, and after `finish`
  /// until `done`, `malformed` or `too_large` (which then repeat).
  multipart_event next();

 private:
  enum class state { preamble, after_delimiter, headers, body, epilogue, failed };

  multipart_event fail(multipart_event_kind kind, std::string why);
  multipart_event read_preamble();
  multipart_event read_after_delimiter();
  multipart_event read_headers();
  multipart_event read_body();
  std::string_view pending() const { return std::string_view{buf_}.substr(pos_); }

  std::string delimiter_;  // CRLF "--" boundary (RFC 2046 §5.1.1)
  multipart_limits limits_;
  state state_ = state::preamble;
  std::string buf_;
  std::size_t pos_ = 0;  // bytes of buf_ consumed
  std::uint64_t total_ = 0;
  std::size_t parts_ = 0;
  bool finished_ = false;
  multipart_event failure_;
};

}  // namespace rodeo::http
