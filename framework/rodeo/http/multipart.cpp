#include "rodeo/http/multipart.hpp"

#include <utility>

#include "rodeo/http/lex.hpp"
#include "rodeo/http/parse_header.hpp"

namespace rodeo::http {

namespace {

using detail::cursor;
using kind = multipart_event_kind;

constexpr std::string_view crlf = "\r\n";

// RFC 2046 §5.1.1: bcharsnospace, plus the space (not last).
bool is_bchar(char c) noexcept {
  constexpr std::string_view others = "'()+_,-./:=? ";
  return detail::is_alnum(c) || others.find(c) != std::string_view::npos;
}

multipart_event event(kind k) {
  multipart_event e;
  e.kind = k;
  return e;
}

// One `name: value` line of a part's header block (RFC 7578 §4.8 allows only
// Content-Type, Content-Disposition and Content-Transfer-Encoding, but a reader must
// tolerate others). No obs-fold: RFC 9112 §5.2 has it rejected outside message/http.
bool parse_field_line(std::string_view line, rodeo::headers& out) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const auto name = line.substr(0, colon);
  for (char c : name)
    if (!detail::is_tchar(c)) return false;
  const auto value = detail::trim_ows(line.substr(colon + 1));
  for (char c : value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  out.emplace_back(detail::to_lower(name), std::string{value});
  return true;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const auto m = parse_content_type(content_type);
  if (!m || m->type != "multipart" || m->subtype != "form-data") return std::nullopt;
  const auto b = m->param("boundary");
  if (!b || b->empty() || b->size() > 70 || b->back() == ' ') return std::nullopt;
  for (char c : *b)
    if (!is_bchar(c)) return std::nullopt;
  return std::string{*b};
}

bool parse_form_disposition(std::string_view value, multipart_part& part) {
  cursor c{detail::trim_ows(value)};
  if (!detail::iequals(c.token(), "form-data")) return false;
  std::optional<std::string> name, filename;
  // Parameters as in Content-Type (RFC 6266 §4.1 shares RFC 9110's grammar).
  for (;;) {
    c.skip_ows();
    if (c.done()) break;
    if (!c.eat(';')) return false;
    c.skip_ows();
    if (c.done() || c.peek() == ';') continue;
    std::string n, v;
    if (!c.parameter(n, v)) return false;
    if (n == "name" && !name) name = std::move(v);
    if (n == "filename" && !filename) filename = std::move(v);
  }
  if (!name) return false;
  part.name = std::move(*name);
  part.filename = std::move(filename);
  return true;
}

multipart_parser::multipart_parser(std::string boundary, multipart_limits limits)
    : delimiter_("\r\n--" + boundary), limits_(limits) {
  // The first delimiter may open the body without the CRLF before it (RFC 2046 §5.1.1): a
  // CRLF before the input lets one search find both.
  buf_ = crlf;
}

void multipart_parser::feed(std::string_view data) {
  if (state_ == state::failed) return;
  total_ += data.size();
  if (total_ > limits_.total_bytes) {
    fail(kind::too_large,
         "multipart body larger than " + std::to_string(limits_.total_bytes) + " bytes");
    return;
  }
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(data);
}

multipart_event multipart_parser::fail(multipart_event_kind k, std::string why) {
  state_ = state::failed;
  failure_ = event(k);
  failure_.error = std::move(why);
  buf_.clear();
  pos_ = 0;
  return failure_;
}

multipart_event multipart_parser::next() {
  switch (state_) {
    case state::preamble:
      return read_preamble();
    case state::after_delimiter:
      return read_after_delimiter();
    case state::headers:
      return read_headers();
    case state::body:
      return read_body();
    case state::epilogue:
      pos_ = buf_.size();  // the epilogue is ignored (RFC 2046 §5.1.1)
      return event(kind::done);
    case state::failed:
      break;
  }
  return failure_;
}

multipart_event multipart_parser::read_preamble() {
  const auto p = pending();
  if (const auto i = p.find(delimiter_); i != std::string_view::npos) {
    pos_ += i + delimiter_.size();
    state_ = state::after_delimiter;
    return read_after_delimiter();
  }
  // The preamble is ignored; keep only what may be the start of the delimiter.
  if (p.size() >= delimiter_.size()) pos_ += p.size() - (delimiter_.size() - 1);
  if (finished_) return fail(kind::malformed, "multipart body without its boundary delimiter");
  return event(kind::need_more);
}

multipart_event multipart_parser::read_after_delimiter() {
  const auto p = pending();
  if (p.size() < 2) {
    if (finished_) return fail(kind::malformed, "multipart body ends after a delimiter");
    return event(kind::need_more);
  }
  if (p.substr(0, 2) == "--") {
    pos_ += 2;
    state_ = state::epilogue;
    if (parts_ == 0) return fail(kind::malformed, "multipart body without any part");
    return event(kind::done);
  }
  // transport-padding: linear whitespace before the CRLF (RFC 2046 §5.1.1).
  std::size_t i = 0;
  while (i < p.size() && (p[i] == ' ' || p[i] == '\t')) ++i;
  if (p.size() - i < 2) {
    if (finished_) return fail(kind::malformed, "multipart body ends after a delimiter");
    return event(kind::need_more);
  }
  if (p.substr(i, 2) != crlf)
    return fail(kind::malformed, "multipart boundary delimiter not followed by CRLF");
  if (++parts_ > limits_.parts)
    return fail(kind::too_large, "more than " + std::to_string(limits_.parts) + " parts");
  pos_ += i + 2;
  state_ = state::headers;
  return read_headers();
}

multipart_event multipart_parser::read_headers() {
  const auto p = pending();
  // The block ends at the first empty line; an empty block is a lone CRLF.
  const auto end = p.substr(0, 2) == crlf ? 0 : p.find("\r\n\r\n");
  const auto block_size = end == std::string_view::npos ? p.size() : end + (end == 0 ? 2 : 4);
  if (block_size > limits_.header_bytes)
    return fail(kind::too_large, "multipart part header block larger than " +
                                     std::to_string(limits_.header_bytes) + " bytes");
  if (end == std::string_view::npos) {
    if (finished_) return fail(kind::malformed, "multipart body ends inside a part's headers");
    return event(kind::need_more);
  }
  auto e = event(kind::part);
  auto block = p.substr(0, end);
  while (!block.empty()) {
    const auto eol = block.find(crlf);
    const auto line = block.substr(0, eol);
    if (!parse_field_line(line, e.part.fields))
      return fail(kind::malformed, "malformed multipart part header line");
    block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
  }
  const auto disposition = find_header(e.part.fields, "content-disposition");
  if (!disposition || !parse_form_disposition(*disposition, e.part))
    return fail(kind::malformed,
                "multipart part without Content-Disposition: form-data; name=\"...\" "
                "(RFC 7578 §4.2)");
  if (const auto type = find_header(e.part.fields, "content-type")) {
    if (!parse_content_type(*type))
      return fail(kind::malformed, "malformed multipart part Content-Type");
    e.part.content_type = std::string{*type};
  }
  pos_ += block_size;
  state_ = state::body;
  return e;
}

multipart_event multipart_parser::read_body() {
  const auto p = pending();
  const auto at = p.find(delimiter_);
  if (at == 0) {
    pos_ += delimiter_.size();
    state_ = state::after_delimiter;
    return event(kind::part_end);
  }
  // Data up to the delimiter, or up to what may be its start.
  auto safe = at;
  if (at == std::string_view::npos) {
    safe = p.size();
    for (auto k = p.size() > delimiter_.size() ? p.size() - delimiter_.size() + 1 : 0; k < p.size();
         ++k)
      if (std::string_view{delimiter_}.starts_with(p.substr(k))) {
        safe = k;
        break;
      }
  }
  if (safe == 0) {
    if (finished_) return fail(kind::malformed, "multipart body ends inside a part");
    return event(kind::need_more);
  }
  auto e = event(kind::data);
  e.data.assign(p.substr(0, safe));
  pos_ += safe;
  return e;
}

}  // namespace rodeo::http
