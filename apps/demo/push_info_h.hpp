#pragma once
/// \file
/// `GET /push-info[?page=/path]`: what the demo pushes, as JSON, for the page's script (a
/// browser refuses push, so the page shows what an HTTP/2 client that accepts it receives):
///
///     {"page":"/","manifest":"push.map","pushes":["/static/style.css",…],
///      "request":{"protocol":"HTTP/2","scheme":"https"},
///      "metrics":{"requested":8,"promised":4,"completed":4,"cancelled":0,
///                 "skipped":{"http1":0,"disabled_by_client":4,…}},
///      "summary":"requested=8 promised=4 …"}
///
/// The listener's push metrics exist only once it has started: main hands them over through
/// a metrics_slot shared with the route (null until then: "metrics":null).

#include <atomic>
#include <memory>
#include <string>

#include "push_plan.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/push_metrics.hpp"

namespace demo {

/// Where the running listener's push metrics will be; set once, read by every request.
struct metrics_slot {
  std::atomic<const rodeo::push_metrics*> metrics{nullptr};
};

class push_info_h final : public rodeo::handler_base {
 public:
  push_info_h(std::shared_ptr<const push_plan> plan, std::shared_ptr<const metrics_slot> slot);
  rodeo::handler_result init(rodeo::req& r) override;

  /// `s` as a JSON string literal, quotes included (RFC 8259 §7).
  static std::string json_string(std::string_view s);
  /// The "metrics" object of the answer.
  static std::string metrics_json(const rodeo::push_metrics& m);

 private:
  std::shared_ptr<const push_plan> plan_;
  std::shared_ptr<const metrics_slot> slot_;
};

}  // namespace demo
