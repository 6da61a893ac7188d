#include "rodeo/stream_handlers/access_log_stream_h.hpp"

#include <array>
#include <chrono>
#include <utility>

#include "rodeo/log.hpp"
#include "rodeo/stream_handlers/metrics_stream_h.hpp"

namespace rodeo {

namespace {

using field = access_log_format::field;

constexpr std::array<std::pair<std::string_view, field>, 16> names{{
    {"remote_addr", field::remote_addr},
    {"method", field::method},
    {"path", field::path},
    {"qs", field::qs},
    {"request_uri", field::request_uri},
    {"status", field::status},
    {"bytes_in", field::bytes_in},
    {"bytes_out", field::bytes_out},
    {"duration_us", field::duration_us},
    {"ttfb_us", field::ttfb_us},
    {"protocol", field::protocol},
    {"stream", field::stream},
    {"pushed", field::pushed},
    {"pushes", field::pushes},
    {"reason", field::reason},
    {"ended", field::ended},
}};

bool name_char(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

}  // namespace

result<access_log_format> access_log_format::parse(std::string_view fmt) {
  access_log_format out;
  std::string text;
  auto flush = [&] {
    if (!text.empty()) out.parts_.push_back({field::text, std::move(text)});
    text.clear();
  };
  for (std::size_t i = 0; i < fmt.size();) {
    if (fmt[i] != '$') {
      text += fmt[i++];
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '$') {
      text += '$';
      i += 2;
      continue;
    }
    std::string_view name;
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      auto close = fmt.find('}', i + 2);
      if (close == std::string_view::npos)
        return failure("access log format: '${' without '}' at offset " + std::to_string(i));
      name = fmt.substr(i + 2, close - i - 2);
      i = close + 1;
    } else {
      auto j = i + 1;
      while (j < fmt.size() && name_char(fmt[j])) ++j;
      name = fmt.substr(i + 1, j - i - 1);
      i = j;
    }
    bool known = false;
    for (const auto& [n, f] : names) {
      if (n == name) {
        flush();
        out.parts_.push_back({f, {}});
        known = true;
      }
    }
    if (!known)
      return failure("access log format: unknown variable '$" + std::string{name} +
                     "' (known: remote_addr method path qs request_uri status bytes_in "
                     "bytes_out duration_us ttfb_us protocol stream pushed pushes reason ended)");
  }
  flush();
  return out;
}

std::string access_log_format::format(const stream_end& e) const {
  std::string line;
  line.reserve(128);
  for (const auto& p : parts_) {
    switch (p.f) {
      case field::text:
        line += p.text;
        break;
      case field::remote_addr:
        line += e.peer;
        break;
      case field::method:
        line += e.method;
        break;
      case field::path:
        line += e.path;
        break;
      case field::qs:
        line += e.qs;
        break;
      case field::request_uri:
        line += e.path;
        if (!e.qs.empty()) line += '?' + e.qs;
        break;
      case field::status:
        line += std::to_string(e.status);
        break;
      case field::bytes_in:
        line += std::to_string(e.bytes_in);
        break;
      case field::bytes_out:
        line += std::to_string(e.bytes_out);
        break;
      case field::duration_us:
        line += std::to_string(e.duration_us());
        break;
      case field::ttfb_us:
        line += std::to_string(
            std::chrono::duration_cast<std::chrono::microseconds>(e.first_byte - e.start).count());
        break;
      case field::protocol:
        line += e.protocol;
        break;
      case field::stream:
        line += std::to_string(e.id);
        break;
      case field::pushed:
        if (e.pushed) line += " pushed";
        break;
      case field::pushes:
        if (e.pushes.any())
          line += " push=promised:" + std::to_string(e.pushes.promised) +
                  ",hinted:" + std::to_string(e.pushes.hinted) +
                  ",skipped:" + std::to_string(e.pushes.skipped);
        break;
      case field::reason:
        line += to_string(e.reason);
        break;
      case field::ended:
        if (e.reason != stream_end_reason::normal) {
          line += ' ';
          line += to_string(e.reason);
        }
        break;
    }
  }
  return line;
}

stream_handler_factory access_log_stream_h(access_log_format format,
                                           std::function<void(const std::string&)> write) {
  if (!write) write = [](const std::string& line) { log::access()->info("{}", line); };
  // An end callback like any metrics handler: the line is the format applied to the end.
  return metrics_stream_h(
      [f = std::move(format), w = std::move(write)](const stream_end& e) { w(f.format(e)); });
}

}  // namespace rodeo
