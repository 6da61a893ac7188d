#include "rodeo/internal/protocol/gathered_output.hpp"

#include <algorithm>

namespace rodeo {

std::string& gathered_output::text() {
  if (!open_text()) {
    piece_t p;
    p.text.swap(spare_);
    p.text.clear();
    push(std::move(p));
  }
  return pieces_.back().text;
}

void gathered_output::push(piece_t p) {
  if (head_ == pieces_.size()) {
    pieces_.clear();
    head_ = 0;
  }
  pieces_.push_back(std::move(p));
}

void gathered_output::seal() {
  if (!open_text()) return;
  auto& tail = pieces_.back();
  sealed_ += tail.text.size() - tail.off;
}

void gathered_output::append_body(const body_bytes& body) {
  if (body.empty()) return;
  if (!body.shared() || body.size() < share_threshold) return append(body.view());
  seal();
  // An empty text tail (text() called, nothing written) is dropped rather than kept.
  if (open_text() && pieces_.back().text.size() == pieces_.back().off) {
    spare_.swap(pieces_.back().text);
    pieces_.pop_back();
  }
  piece_t p;
  p.shared = body;
  push(std::move(p));
  sealed_ += body.size();
}

void gathered_output::splice(gathered_output& other) {
  // The spare storage goes where the next text will be written.
  if (other.spare_.capacity() < spare_.capacity()) other.spare_.swap(spare_);
  if (other.pieces() == 0) return other.clear();
  if (pieces() == 0 && other.head_ == 0) {
    pieces_.swap(other.pieces_);
    head_ = 0;
    sealed_ = other.sealed_;
    other.pieces_.clear();
    other.head_ = 0;
    other.sealed_ = 0;
    return;
  }
  for (std::size_t i = other.head_; i < other.pieces_.size(); ++i) {
    auto& p = other.pieces_[i];
    if (p.shared.shared()) {
      append_body(p.shared.substr(p.off));
    } else if (open_text()) {
      text().append(std::string_view{p.text}.substr(p.off));  // text after text: one piece
    } else {
      // Open while it is the last piece: the next shared piece seals it (counts its bytes).
      push(std::move(p));
    }
  }
  other.clear();
}

void gathered_output::copy_to(std::string& out) const {
  out.reserve(out.size() + size());
  for (std::size_t i = head_; i < pieces_.size(); ++i) out.append(pieces_[i].view());
}

void gathered_output::consume(std::size_t n) {
  while (n > 0 && head_ < pieces_.size()) {
    auto& p = pieces_[head_];
    const bool open = head_ + 1 == pieces_.size() && !p.shared.shared();
    auto left = p.view().size();
    auto k = std::min(n, left);
    p.off += k;
    n -= k;
    if (!open) sealed_ -= k;
    if (k < left) break;
    if (!p.shared.shared() && p.text.capacity() > spare_.capacity()) spare_.swap(p.text);
    p.shared.clear();  // let go of the buffer now, not when the vector is reused
    ++head_;
  }
  if (head_ == pieces_.size()) {
    pieces_.clear();
    head_ = 0;
    sealed_ = 0;
  }
}

void gathered_output::clear() {
  for (std::size_t i = head_; i < pieces_.size(); ++i) {
    auto& t = pieces_[i].text;
    if (t.capacity() > spare_.capacity()) spare_.swap(t);
  }
  pieces_.clear();
  head_ = 0;
  sealed_ = 0;
}

void gathered_output::release() {
  std::vector<piece_t>{}.swap(pieces_);
  std::string{}.swap(spare_);
  head_ = 0;
  sealed_ = 0;
}

}  // namespace rodeo
