#include "rodeo/sse.hpp"

#include <string_view>

#include "rodeo/errors.hpp"
#include "rodeo/req.hpp"

namespace rodeo {

namespace {

// `name: line` for every line of `text`: a line ends at LF, CRLF or CR (HTML §9.2.6).
void append_lines(std::string& out, std::string_view name, std::string_view text) {
  for (;;) {
    const auto eol = text.find_first_of("\r\n");
    out.append(name).append(": ").append(text.substr(0, eol)).push_back('\n');
    if (eol == std::string_view::npos) return;
    const auto skip = text.compare(eol, 2, "\r\n") == 0 ? 2 : 1;
    text.remove_prefix(eol + skip);
  }
}

void append_single_line(std::string& out, std::string_view name, std::string_view value,
                        std::string_view forbidden) {
  if (value.find_first_of(forbidden) != std::string_view::npos)
    throw usage_error("rodeo::sse_event: the " + std::string{name} +
                      " must be one line (no CR, LF" + (forbidden.size() > 2 ? " or NUL" : "") +
                      "): put multi-line text in .data");
  out.append(name).append(": ").append(value).push_back('\n');
}

}  // namespace

std::string format_event(const sse_event& e) {
  if (!e.id && !e.event && !e.data && !e.retry && !e.comment)
    throw usage_error(
        "rodeo::sse_event: the event is empty; set at least one of .data, .id, .event, "
        ".retry, .comment");
  std::string out;
  if (e.comment) append_lines(out, "", *e.comment);
  if (e.id) append_single_line(out, "id", *e.id, std::string_view{"\r\n\0", 3});
  if (e.event) append_single_line(out, "event", *e.event, "\r\n");
  if (e.retry) {
    if (e.retry->count() < 0) throw usage_error("rodeo::sse_event: .retry must not be negative");
    out.append("retry: ").append(std::to_string(e.retry->count())).push_back('\n');
  }
  if (e.data) append_lines(out, "data", *e.data);
  out.push_back('\n');
  return out;
}

void stream_events(req& r, std::span<const sse_event> events, bool fin) {
  std::string text;
  for (const auto& e : events) text += format_event(e);
  if (!r.replied())
    r.stream_reply(200, {{"content-type", "text/event-stream"}, {"cache-control", "no-cache"}});
  r.stream_body(std::move(text), fin);
}

void stream_events(req& r, const sse_event& event, bool fin) {
  stream_events(r, std::span<const sse_event>{&event, 1}, fin);
}

}  // namespace rodeo
