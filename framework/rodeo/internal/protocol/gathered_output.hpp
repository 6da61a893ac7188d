#pragma once
/// \file
/// A connection's output as a list of pieces instead of one string: bytes the engines wrote
/// (frame headers, response heads, small bodies) and views into shared body buffers
/// (`body_bytes::share`, a cached file), so that a shared body reaches the socket (one
/// gathered write) or TLS (`SSL_write_ex` from the buffer) without being copied on the way.
///
/// Pieces live in a vector (an empty one allocates nothing: idle connections hold several of
/// these) consumed from an index; a piece's text is never appended to once another piece
/// follows it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/body_bytes.hpp"

namespace rodeo {

class gathered_output {
 public:
  /// Shared bodies smaller than this are copied into the text: a gathered piece costs an
  /// iovec and a reference count, which only pays for itself on bulk bytes.
  static constexpr std::size_t share_threshold = 2048;
  /// An owned body at least this large is made shared (body_bytes::make_shared: moved, not
  /// copied) before it is queued, so that it is written from where the handler built it.
  static constexpr std::size_t adopt_threshold = 16 * 1024;

  /// Where to append bytes to copy (the last piece, when it is text).
  std::string& text();
  void append(std::string_view bytes) {
    if (!bytes.empty()) text().append(bytes);
  }
  /// Appends `body`: a reference to its buffer when it is shared and large enough, else a copy.
  void append_body(const body_bytes& body);

  /// Moves every piece of `other` to the end of this output; `other` is left empty.
  void splice(gathered_output& other);
  /// Appends a copy of every byte, in order.
  void copy_to(std::string& out) const;

  std::size_t size() const {
    return sealed_ + (open_text() ? pieces_.back().text.size() - pieces_.back().off : 0);
  }
  bool empty() const { return size() == 0; }
  /// Number of pieces not yet consumed (text between shared views counts one).
  std::size_t pieces() const { return pieces_.size() - head_; }
  /// The bytes of piece `i` (from the first not consumed) not yet consumed.
  std::string_view piece(std::size_t i) const { return pieces_[head_ + i].view(); }
  /// Piece `i` is a view into a shared buffer (what shows that bytes were not copied).
  bool piece_shared(std::size_t i) const { return pieces_[head_ + i].shared.shared(); }

  /// Forgets the first `n` bytes (n <= size()).
  void consume(std::size_t n);
  void clear();
  /// clear() and give back the capacity kept for the next round.
  void release();

 private:
  struct piece_t {
    std::string text;
    body_bytes shared;  // when shared.shared(): the piece's bytes; otherwise `text`
    std::size_t off = 0;
    std::string_view view() const {
      auto all = shared.shared() ? shared.view() : std::string_view{text};
      return all.substr(off);
    }
  };

  // True when the last piece is text, which text() lets callers grow in place.
  bool open_text() const { return pieces_.size() > head_ && !pieces_.back().shared.shared(); }
  // Seals the open text piece: its bytes join `sealed_`, a new piece follows it.
  void seal();
  void push(piece_t p);

  std::vector<piece_t> pieces_;
  std::size_t head_ = 0;    // pieces before it are consumed
  std::size_t sealed_ = 0;  // bytes not yet consumed in every piece but an open text tail
  // The storage of a text piece already written out, reused by the next text(): a
  // connection's output rounds do not allocate each time.
  std::string spare_;
};

}  // namespace rodeo
