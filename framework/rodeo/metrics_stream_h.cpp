#include "rodeo/metrics_stream_h.hpp"

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

class push_funnel_h final : public stream_handler {
 public:
  explicit push_funnel_h(std::shared_ptr<push_metrics> m) : metrics_(std::move(m)) {}
  void on_end(const stream_end& e) override {
    if (e.reason == stream_end_reason::normal)
      metrics_->completed.fetch_add(1, std::memory_order_relaxed);
    else if (e.reason == stream_end_reason::reset || e.reason == stream_end_reason::crash)
      metrics_->cancelled.fetch_add(1, std::memory_order_relaxed);
  }

 private:
  std::shared_ptr<push_metrics> metrics_;
};

}  // namespace

stream_handler_factory metrics_stream_h(std::function<void(const stream_end&)> callback) {
  auto cb = std::make_shared<const std::function<void(const stream_end&)>>(std::move(callback));
  return [cb](const stream_info&) -> std::unique_ptr<stream_handler> {
    return std::make_unique<metrics_h>(cb);
  };
}

stream_handler_factory push_funnel_stream_h(std::shared_ptr<push_metrics> metrics) {
  return [m = std::move(metrics)](const stream_info& info) -> std::unique_ptr<stream_handler> {
    if (!info.pushed) return nullptr;
    return std::make_unique<push_funnel_h>(m);
  };
}

}  // namespace rodeo
