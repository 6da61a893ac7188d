#pragma once
/// \file
/// The per-request store: what middlewares found, for the handler to read. A middleware writes
/// (`r.meta().set(user{"ada"})`), the handler reads (`r.meta().get<user>()` -> pointer or
/// null). Values are keyed by their type, so a value's type is its name and call sites never
/// cast; a few string-keyed texts (`set_text("request-id", id)`) serve where a type would be
/// too much.
///
/// The store belongs to one request and lives in its request actor: no locking. Values must be
/// copyable (std::any holds them), because `push_options::share_meta` gives a pushed request a
/// copy of its parent's store. Copies are shallow: keep values plain data, or
/// `std::shared_ptr<const T>` for something large; a `shared_ptr` to mutable state would be
/// shared between two actors.

#include <any>
#include <map>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <utility>

namespace rodeo {

class meta {
 public:
  /// Stores `value` under its type, replacing any earlier value of that type.
  template <class T>
  void set(T value) {
    values_[std::type_index(typeid(T))] = std::move(value);
  }

  /// The value of type T, or nullptr if nothing set one.
  template <class T>
  T* get() {
    auto i = values_.find(std::type_index(typeid(T)));
    return i == values_.end() ? nullptr : std::any_cast<T>(&i->second);
  }
  template <class T>
  const T* get() const {
    auto i = values_.find(std::type_index(typeid(T)));
    return i == values_.end() ? nullptr : std::any_cast<T>(&i->second);
  }

  template <class T>
  bool has() const {
    return values_.count(std::type_index(typeid(T))) != 0;
  }

  template <class T>
  void erase() {
    values_.erase(std::type_index(typeid(T)));
  }

  /// A text under a name (a request id, a tenant): the string-keyed side of the store.
  void set_text(std::string name, std::string value) { texts_[std::move(name)] = std::move(value); }
  /// The text under `name`, or nullptr.
  const std::string* text(std::string_view name) const {
    auto i = texts_.find(name);
    return i == texts_.end() ? nullptr : &i->second;
  }

  bool empty() const { return values_.empty() && texts_.empty(); }

 private:
  std::unordered_map<std::type_index, std::any> values_;
  std::map<std::string, std::string, std::less<>> texts_;
};

}  // namespace rodeo
