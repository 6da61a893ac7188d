#pragma once
/// \file
/// The notes of the demo's REST resource (/notes): an in-memory map shared by every request
/// actor of the listener, so it takes a lock.

#include <cstdint>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace demo {

struct note {
  std::string text;
  std::uint64_t version = 0;  ///< the ETag: changes with every write
  std::time_t modified = 0;
};

class notes_store {
 public:
  std::optional<note> get(const std::string& id) const;
  /// Every note, by id.
  std::vector<std::pair<std::string, note>> all() const;
  /// The number of writes so far (the collection's ETag).
  std::uint64_t generation() const;
  /// Creates or replaces `id`; the note as stored.
  note put(const std::string& id, std::string text);
  /// A new note under a fresh numeric id; returns the id.
  std::string add(std::string text);
  /// Removes `id`; false if there was none.
  bool remove(const std::string& id);
  /// True if `id` was removed and not written since.
  bool removed(const std::string& id) const;

 private:
  note write(const std::string& id, std::string text);  // with mu_ held

  mutable std::mutex mu_;
  std::map<std::string, note> notes_;
  std::set<std::string> removed_;
  std::uint64_t generation_ = 0;
  std::uint64_t next_id_ = 1;
};

}  // namespace demo
