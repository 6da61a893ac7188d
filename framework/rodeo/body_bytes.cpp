#include "rodeo/body_bytes.hpp"

#include <ostream>

namespace rodeo {

body_bytes body_bytes::share(std::shared_ptr<const std::string> buffer) {
  std::string_view all = buffer ? std::string_view{*buffer} : std::string_view{};
  return share(std::move(buffer), all);
}

body_bytes body_bytes::share(std::shared_ptr<const std::string> buffer, std::string_view view) {
  body_bytes b;
  if (!buffer) return b;
  b.shared_ = std::move(buffer);
  b.view_ = view;
  return b;
}

body_bytes body_bytes::substr(std::size_t pos, std::size_t n) const {
  auto part = view().substr(pos, n);
  if (shared_) return share(shared_, part);
  return body_bytes{std::string{part}};
}

std::string body_bytes::take() && {
  if (!shared_) return std::move(owned_);
  std::string copy{view_};
  clear();
  return copy;
}

void body_bytes::make_shared() {
  if (shared_) return;
  auto buffer = std::make_shared<const std::string>(std::move(owned_));
  owned_.clear();
  view_ = *buffer;
  shared_ = std::move(buffer);
}

void body_bytes::append(std::string_view more) {
  if (more.empty()) return;
  if (shared_) {
    // `more` may view the shared buffer: copied before the buffer is let go.
    std::string copy;
    copy.reserve(view_.size() + more.size());
    copy.append(view_);
    copy.append(more);
    owned_ = std::move(copy);
    shared_.reset();
    view_ = {};
    return;
  }
  owned_.append(more);
}

void body_bytes::clear() {
  owned_.clear();
  shared_.reset();
  view_ = {};
}

std::ostream& operator<<(std::ostream& os, const body_bytes& b) { return os << b.view(); }

}  // namespace rodeo
