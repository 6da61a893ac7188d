#pragma once
/// \file
/// The environment a middleware chain passes along with the req (Cowboy's Env), with typed
/// keys: `env.set(keys::handler, h)`, `env.find(keys::handler)` -> pointer or null. A key is an
/// object whose address identifies it; the value type is part of the key's type, so call sites
/// never cast.

#include <any>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace rodeo {

/// A typed key. Define keys as `inline const rodeo::env_key<T> my_key{"my_key"};`.
template <class T>
class env_key {
 public:
  explicit constexpr env_key(std::string_view name) : name_(name) {}
  env_key(const env_key&) = delete;
  env_key& operator=(const env_key&) = delete;
  constexpr std::string_view name() const { return name_; }

 private:
  std::string_view name_;
};

class env {
 public:
  template <class T>
  void set(const env_key<T>& key, T value) {
    values_[&key] = std::move(value);
  }

  /// The value under `key`, or nullptr.
  template <class T>
  T* find(const env_key<T>& key) {
    auto i = values_.find(&key);
    return i == values_.end() ? nullptr : std::any_cast<T>(&i->second);
  }
  template <class T>
  const T* find(const env_key<T>& key) const {
    auto i = values_.find(&key);
    return i == values_.end() ? nullptr : std::any_cast<T>(&i->second);
  }

  /// The value under `key`; throws std::out_of_range naming the key when it is missing.
  template <class T>
  T& at(const env_key<T>& key) {
    if (auto p = find(key)) return *p;
    throw std::out_of_range("env has no '" + std::string{key.name()} +
                            "': a middleware earlier in the chain must set it");
  }

  template <class T>
  bool contains(const env_key<T>& key) const {
    return values_.count(&key) != 0;
  }

  template <class T>
  void erase(const env_key<T>& key) {
    values_.erase(&key);
  }

 private:
  std::unordered_map<const void*, std::any> values_;
};

}  // namespace rodeo
