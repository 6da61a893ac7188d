#pragma once
/// \file
/// The bytes of a response body as they travel from a handler to the wire: either a string
/// the body owns, or a view into an immutable buffer it shares (a cached file). A shared body
/// is never copied on its way: the command, the protocol engine and the connection's output
/// hold a reference to the same buffer until the bytes are written.
///
/// Handlers keep writing `r.reply(200, fields, std::string)`: a string converts to an owned
/// body. `body_bytes::share` is for buffers that outlive many responses.

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

namespace rodeo {

class body_bytes {
 public:
  body_bytes() = default;
  /// Owns `s` (moved in: no copy).
  body_bytes(std::string s) : owned_(std::move(s)) {}  // NOLINT(google-explicit-constructor)
  body_bytes(const char* s) : owned_(s) {}             // NOLINT(google-explicit-constructor)

  /// Shares the whole of `buffer`.
  static body_bytes share(std::shared_ptr<const std::string> buffer);
  /// Shares `view`, which must lie inside `*buffer`.
  static body_bytes share(std::shared_ptr<const std::string> buffer, std::string_view view);

  std::string_view view() const { return shared_ ? view_ : std::string_view{owned_}; }
  operator std::string_view() const { return view(); }  // NOLINT(google-explicit-constructor)
  const char* data() const { return view().data(); }
  std::size_t size() const { return view().size(); }
  bool empty() const { return size() == 0; }

  /// True when the bytes are a view into a shared buffer (not owned by this body).
  bool shared() const { return shared_ != nullptr; }
  /// The shared buffer, or null for an owned body.
  const std::shared_ptr<const std::string>& buffer() const { return shared_; }

  /// Bytes [pos, pos + n) as a body: a shared body shares them, an owned one copies them.
  body_bytes substr(std::size_t pos, std::size_t n = std::string::npos) const;

  /// The bytes as a string: moved out of an owned body, copied from a shared one.
  std::string take() &&;

  /// Turns an owned body into a shared one without copying a byte (the string moves into a
  /// buffer of its own): the engines do it for a large body, so the output references it.
  void make_shared();

  /// Appends `more`; a shared body first becomes an owned copy.
  void append(std::string_view more);
  /// The same as `append`, so that code written for a `std::string` body (`body += chunk`
  /// in a stream handler) keeps compiling.
  body_bytes& operator+=(std::string_view more) {
    append(more);
    return *this;
  }

  void clear();

  // One overload per kind of right-hand side: each is an exact match, none ambiguous.
  friend bool operator==(const body_bytes& a, const body_bytes& b) { return a.view() == b.view(); }
  friend bool operator==(const body_bytes& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const body_bytes& a, const std::string& b) { return a.view() == b; }
  friend bool operator==(const body_bytes& a, const char* b) { return a.view() == b; }

 private:
  std::string owned_;
  std::shared_ptr<const std::string> shared_;
  std::string_view view_;  // into *shared_
};

std::ostream& operator<<(std::ostream& os, const body_bytes& b);

}  // namespace rodeo
