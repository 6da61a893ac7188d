#include "rodeo/metrics_handler.hpp"

#include "rodeo/req.hpp"

namespace rodeo {

namespace {

class metrics_h final : public handler_base {
 public:
  explicit metrics_h(std::shared_ptr<const metrics_registry> registry)
      : registry_(std::move(registry)) {}

  handler_result init(req& r) override {
    if (r.method() != "GET" && r.method() != "HEAD") {
      r.reply(405, {{"allow", "GET, HEAD"}});  // RFC 9110 §15.5.6
      return handler_result::ok;
    }
    r.reply(200,
            {{"content-type", std::string{prometheus_content_type}}, {"cache-control", "no-store"}},
            registry_->prometheus_text());
    return handler_result::ok;
  }

 private:
  std::shared_ptr<const metrics_registry> registry_;
};

}  // namespace

route_target metrics_handler(std::shared_ptr<const metrics_registry> registry) {
  if (!registry)
    throw usage_error(
        "rodeo::metrics_handler: no registry; pass the one the listener feeds "
        "(listener_options::metrics)");
  return rodeo::handler<metrics_h>(std::move(registry));
}

}  // namespace rodeo
