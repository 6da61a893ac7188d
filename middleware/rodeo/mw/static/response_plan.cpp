#include "rodeo/mw/static/response_plan.hpp"

#include <ctime>
#include <string>

#include "rodeo/http/date.hpp"
#include "rodeo/mw/static/conditional.hpp"
#include "rodeo/mw/static/ranges.hpp"

namespace rodeo::mw::static_files {

response_plan plan_response(std::string_view method, const rodeo::headers& request,
                            const representation& rep, std::string_view cache_control,
                            std::int64_t now) {
  const validators v = make_validators(rep.meta, now, rep.coding);
  response_plan plan;
  auto add = [&](std::string_view name, std::string_view value) {
    plan.fields.emplace_back(std::string(name), std::string(value));
  };
  // Fields a cache needs on 200, 206 and 304 alike (RFC 9110 §15.4.5).
  auto add_cache_fields = [&] {
    add("etag", v.etag);
    if (!cache_control.empty()) add("cache-control", cache_control);
    if (rep.has_variants) add("vary", "accept-encoding");
  };

  switch (evaluate_preconditions(method, request, v)) {
    case precondition::not_modified:
      plan.status = 304;
      add_cache_fields();
      return plan;
    case precondition::failed:
      plan.status = 412;
      return plan;
    case precondition::proceed:
      break;
  }

  const auto range = resolve_range(method, request, rep.meta.size, v);
  if (range.kind == range_kind::unsatisfiable) {
    plan.status = 416;
    add("content-range", range.content_range);
    add("accept-ranges", "bytes");
    return plan;
  }

  const bool partial = range.kind == range_kind::partial;
  plan.status = partial ? 206 : 200;
  plan.offset = partial ? range.first : 0;
  const std::uint64_t length = partial ? range.last - range.first + 1 : rep.meta.size;
  add("content-type", rep.content_type);
  add("content-length", std::to_string(length));
  add("accept-ranges", "bytes");
  add("last-modified", http::format_http_date(static_cast<std::time_t>(v.last_modified)));
  if (!rep.coding.empty()) add("content-encoding", rep.coding);
  add_cache_fields();
  if (partial) add("content-range", range.content_range);
  plan.length = method == "HEAD" ? 0 : length;
  return plan;
}

}  // namespace rodeo::mw::static_files
