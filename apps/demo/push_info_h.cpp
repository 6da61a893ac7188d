#include "push_info_h.hpp"

#include <cstdio>
#include <filesystem>

#include "rodeo/http/qs.hpp"
#include "rodeo/req.hpp"

namespace demo {

push_info_h::push_info_h(std::shared_ptr<const push_plan> plan,
                         std::shared_ptr<const metrics_slot> slot)
    : plan_(std::move(plan)), slot_(std::move(slot)) {}

std::string push_info_h::json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string push_info_h::metrics_json(const rodeo::push_metrics& m) {
  std::string out = "{\"requested\":" + std::to_string(m.requested.load()) +
                    ",\"promised\":" + std::to_string(m.promised.load()) +
                    ",\"hinted\":" + std::to_string(m.hinted.load()) +
                    ",\"completed\":" + std::to_string(m.completed.load()) +
                    ",\"cancelled\":" + std::to_string(m.cancelled.load()) + ",\"skipped\":{";
  for (std::size_t i = 1; i < rodeo::push_metrics::reasons; ++i) {
    const auto why = static_cast<rodeo::push_skip>(i);
    if (i > 1) out += ",";
    out += json_string(rodeo::to_string(why)) + ":" + std::to_string(m.skips(why));
  }
  return out + "}}";
}

rodeo::handler_result push_info_h::init(rodeo::req& r) {
  std::string page = "/";
  if (auto pairs = rodeo::http::try_parse_qs(r.qs()))
    for (const auto& [name, value] : *pairs)
      if (name == "page" && !value.empty()) page = value;

  std::string pushes = "[";
  for (const auto& asset : plan_->assets_for(page))
    pushes += (pushes.size() > 1 ? "," : "") + json_string(asset);
  pushes += "]";

  const auto* metrics = slot_->metrics.load();
  // The manifest's file name only: a public page shows no file system paths of the server.
  const std::string manifest = std::filesystem::path(plan_->source()).filename().string();
  std::string body = "{\"page\":" + json_string(page) + ",\"manifest\":" + json_string(manifest) +
                     ",\"pushes\":" + pushes +
                     ",\"request\":{\"protocol\":" + json_string(r.version()) +
                     ",\"scheme\":" + json_string(r.scheme()) + "}" +
                     ",\"metrics\":" + (metrics ? metrics_json(*metrics) : "null") +
                     ",\"summary\":" + (metrics ? json_string(metrics->summary()) : "null") + "}\n";
  // The counters change with every request: never from a cache.
  r.reply(200, {{"content-type", "application/json"}, {"cache-control", "no-store"}},
          std::move(body));
  return rodeo::handler_result::ok;
}

}  // namespace demo
