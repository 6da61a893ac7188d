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

}  // namespace

stream_handler_factory metrics_stream_h(std::function<void(const stream_end&)> callback) {
  auto cb = std::make_shared<const std::function<void(const stream_end&)>>(std::move(callback));
  return [cb](const stream_info&) -> std::unique_ptr<stream_handler> {
    return std::make_unique<metrics_h>(cb);
  };
}

}  // namespace rodeo
