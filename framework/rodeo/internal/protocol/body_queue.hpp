#pragma once
/// \file
/// A stream's response body waiting for its frames: body pieces in order, the first one
/// partly read. Owned bytes join an owned last piece (a streamed body's small chunks fill
/// frames); a shared body (body_bytes::share) or a large owned one stays a piece of its own,
/// which the output then references instead of copying. The usual single body is held
/// inline: queuing it allocates nothing.

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "rodeo/body_bytes.hpp"
#include "rodeo/internal/protocol/gathered_output.hpp"

namespace rodeo {

class body_queue {
 public:
  void push(body_bytes data) {
    if (data.empty()) return;
    if (data.size() >= gathered_output::adopt_threshold) data.make_shared();  // moved, no copy
    size_ += data.size();
    if (first_.empty() && rest_.empty()) {
      first_ = std::move(data);
      return;
    }
    auto& last = rest_.empty() ? first_ : rest_.back();
    if (!data.shared() && !last.shared()) {
      last.append(data.view());
      return;
    }
    rest_.push_back(std::move(data));
  }

  /// Bytes queued, not yet read.
  std::size_t size() const { return size_; }
  /// The unread part of the first piece: what one frame can take at once.
  std::string_view front() const { return first_.view().substr(off_); }
  /// The first `n` bytes of front() as a body: shared when the piece is.
  body_bytes front_body(std::size_t n) const { return first_.substr(off_, n); }
  bool front_shared() const { return first_.shared(); }

  /// Forgets the first `n` bytes (n <= front().size()).
  void consume(std::size_t n) {
    off_ += n;
    size_ -= n;
    if (off_ == first_.size()) {
      next();
    } else if (!first_.shared() && off_ > 64 * 1024 && off_ > first_.size() / 2) {
      // A long streamed body: drop what was read so the buffer does not grow without end.
      first_ = first_.substr(off_);
      off_ = 0;
    }
  }

  void clear() {
    first_.clear();
    std::vector<body_bytes>{}.swap(rest_);
    head_ = off_ = size_ = 0;
  }

 private:
  void next() {
    off_ = 0;
    if (head_ < rest_.size()) {
      first_ = std::move(rest_[head_++]);
      if (head_ == rest_.size()) {
        rest_.clear();
        head_ = 0;
      }
    } else {
      first_.clear();
    }
  }

  body_bytes first_;
  std::vector<body_bytes> rest_;  // after first_, from head_ on
  std::size_t head_ = 0, off_ = 0, size_ = 0;
};

}  // namespace rodeo
