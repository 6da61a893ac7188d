#pragma once
// The users: shared by every request actor, so it locks.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace first_app {

struct user {
  std::int64_t id = 0;
  std::string name, email;
  std::string created_by;  // who POSTed it (empty for the seeded users)
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(user, id, name, email, created_by)
};

class user_store {
 public:
  nlohmann::json list() const {
    std::lock_guard l{m_};
    auto out = nlohmann::json::array();
    for (const auto& [id, u] : users_) out.push_back(u);
    return out;
  }
  std::optional<user> find(std::int64_t id) const {
    std::lock_guard l{m_};
    auto i = users_.find(id);
    return i == users_.end() ? std::nullopt : std::optional{i->second};
  }
  user add(std::string name, std::string email, std::string created_by = {}) {
    std::lock_guard l{m_};
    user u{next_++, std::move(name), std::move(email), std::move(created_by)};
    return users_[u.id] = u;
  }
  bool remove(std::int64_t id) {
    std::lock_guard l{m_};
    return users_.erase(id) != 0;
  }

 private:
  mutable std::mutex m_;
  std::map<std::int64_t, user> users_;
  std::int64_t next_ = 1;
};

using store_ptr = std::shared_ptr<user_store>;

}  // namespace first_app
