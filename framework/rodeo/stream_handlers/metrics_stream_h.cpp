#include "rodeo/stream_handlers/metrics_stream_h.hpp"

#include <utility>

namespace rodeo {

namespace {

class metrics_h final : public stream_handler {
 public:
  explicit metrics_h(std::shared_ptr<const std::function<void(const stream_end&)>> cb)
      : callback_(std::move(cb)) {}
  void on_end(const stream_end& e) override { (*callback_)(e); }

 private:
  std::shared_ptr<const std::function<void(const stream_end&)>> callback_;
};

class registry_h final : public stream_handler {
 public:
  explicit registry_h(metrics_registry& r) : registry_(r) {}
  void on_end(const stream_end& e) override { registry_.observe(e); }

 private:
  metrics_registry& registry_;
};

}  // namespace

stream_handler_factory metrics_stream_h(std::function<void(const stream_end&)> callback) {
  auto cb = std::make_shared<const std::function<void(const stream_end&)>>(std::move(callback));
  return [cb](const stream_info&) -> std::unique_ptr<stream_handler> {
    return std::make_unique<metrics_h>(cb);
  };
}

stream_handler_factory metrics_stream_h(std::shared_ptr<metrics_registry> registry) {
  // The factory holds the registry; a stream's handler lives no longer than its listener's
  // factories.
  return [registry = std::move(registry)](const stream_info&) -> std::unique_ptr<stream_handler> {
    return std::make_unique<registry_h>(*registry);
  };
}

}  // namespace rodeo
