#include "notes_store.hpp"

namespace demo {

std::optional<note> notes_store::get(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = notes_.find(id);
  if (it == notes_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::pair<std::string, note>> notes_store::all() const {
  std::lock_guard lock(mu_);
  return {notes_.begin(), notes_.end()};
}

std::uint64_t notes_store::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

note notes_store::put(const std::string& id, std::string text) {
  std::lock_guard lock(mu_);
  return write(id, std::move(text));
}

std::string notes_store::add(std::string text) {
  std::lock_guard lock(mu_);
  std::string id;
  do id = std::to_string(next_id_++);
  while (notes_.count(id));
  write(id, std::move(text));
  return id;
}

bool notes_store::remove(const std::string& id) {
  std::lock_guard lock(mu_);
  if (notes_.erase(id) == 0) return false;
  removed_.insert(id);
  ++generation_;
  return true;
}

bool notes_store::removed(const std::string& id) const {
  std::lock_guard lock(mu_);
  return removed_.count(id) != 0;
}

note notes_store::write(const std::string& id, std::string text) {
  auto& n = notes_[id];
  n.text = std::move(text);
  n.version = ++generation_;
  n.modified = std::time(nullptr);
  removed_.erase(id);
  return n;
}

}  // namespace demo
