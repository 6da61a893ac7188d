#pragma once
// Route targets for router tests: named factories that never build a handler, so that the
// router tests need nothing from the framework beyond its headers.

#include <memory>
#include <string>

#include "rodeo/handler.hpp"

namespace rodeo::test {

class tag_factory final : public rodeo::handler_factory {
 public:
  explicit tag_factory(std::string name) : name_(std::move(name)) {}
  std::unique_ptr<rodeo::handler_base> make() const override { return nullptr; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

/// A route target that the tests recognise by name.
inline rodeo::route_target tag(std::string name) {
  return std::make_shared<tag_factory>(std::move(name));
}

/// The name of a tag target; "" for null, "?" for any other target.
inline std::string tag_of(const rodeo::route_target& t) {
  if (!t) return "";
  auto* f = dynamic_cast<const tag_factory*>(t.get());
  return f ? f->name() : "?";
}

}  // namespace rodeo::test
