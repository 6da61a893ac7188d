// req's parsing accessors: the request's query string, cookies and header fields through the
// pure parsers of rodeo/http. The client's mistakes become rodeo::bad_request (400), the
// handler's become usage_error.
#include "rodeo/req.hpp"

#include <stdexcept>
#include <string>

#include "rodeo/bad_request.hpp"

namespace rodeo {

namespace {

// Every field named `name` as one value, joined by `sep`: a list split over several field
// lines is the same list (RFC 9110 §5.3), and several Cookie fields are one cookie-string
// (RFC 9113 §8.2.3 joins them with "; "). nullopt when the field is absent.
std::optional<std::string> combined(const rodeo::headers& hs, std::string_view name,
                                    std::string_view sep = ", ") {
  std::optional<std::string> out;
  for (const auto& [n, v] : hs) {
    if (n != name) continue;
    if (out)
      out->append(sep).append(v);
    else
      out = v;
  }
  return out;
}

// A field value for an error message: at most 80 bytes, controls and non-ASCII as '?', so a
// message never carries CR or LF into a response body or a log.
std::string excerpt(std::string_view v) {
  constexpr std::size_t max = 80;
  std::string out;
  for (char c : v.substr(0, max)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  if (v.size() > max) out += "...";
  return out;
}

// The field parsed by `parse`, nullopt when absent, bad_request when malformed.
template <class Parse>
auto strict(const req& r, std::string_view name, std::string_view rule, Parse parse)
    -> decltype(parse(std::string_view{})) {
  auto v = combined(r.headers(), name);
  if (!v) return std::nullopt;
  auto parsed = parse(*v);
  if (!parsed)
    throw bad_request("malformed " + std::string{name} + " header \"" + excerpt(*v) + "\": see " +
                      std::string{rule});
  return parsed;
}

// The field parsed by `parse`, nullopt when absent or malformed (the RFC says to ignore it).
template <class Parse>
auto lenient(const req& r, std::string_view name, Parse parse)
    -> decltype(parse(std::string_view{})) {
  auto v = combined(r.headers(), name);
  if (!v) return std::nullopt;
  return parse(*v);
}

}  // namespace

http::qs_pairs req::parse_qs() const {
  try {
    return http::parse_qs(head_.qs);
  } catch (const std::invalid_argument& e) {
    throw bad_request(e.what());
  }
}

http::qs_values req::match_qs(const std::vector<http::qs_field>& fields) const {
  try {
    return http::match_qs(head_.qs, fields);
  } catch (const std::invalid_argument& e) {  // qs_error too: a field missing or refused
    throw bad_request(e.what());
  }
}

http::cookie_pairs req::parse_cookies() const {
  auto v = combined(head_.fields, "cookie", "; ");
  if (!v) return {};
  try {
    return http::parse_cookies(*v);
  } catch (const std::invalid_argument& e) {
    throw bad_request(e.what());
  }
}

void req::set_resp_cookie(std::string_view name, std::string_view value,
                          const http::cookie_options& opts) {
  std::string field;
  try {
    field = http::set_cookie_value(name, value, opts);
  } catch (const std::invalid_argument& e) {
    throw usage_error(std::string{"req.set_resp_cookie: "} + e.what());
  }
  set_resp_header("set-cookie", std::move(field));
}

std::optional<std::vector<http::media_range>> req::parse_accept() const {
  return strict(*this, "accept", "RFC 9110 §12.5.1",
                [](std::string_view v) { return http::parse_accept(v); });
}

std::optional<std::vector<http::weighted_token>> req::parse_accept_charset() const {
  return strict(*this, "accept-charset", "RFC 9110 §12.5.2",
                [](std::string_view v) { return http::parse_accept_charset(v); });
}

std::optional<std::vector<http::weighted_token>> req::parse_accept_encoding() const {
  return strict(*this, "accept-encoding", "RFC 9110 §12.5.3",
                [](std::string_view v) { return http::parse_accept_encoding(v); });
}

std::optional<std::vector<http::weighted_token>> req::parse_accept_language() const {
  return strict(*this, "accept-language", "RFC 9110 §12.5.4",
                [](std::string_view v) { return http::parse_accept_language(v); });
}

std::optional<http::media_type> req::parse_content_type() const {
  return strict(*this, "content-type", "RFC 9110 §8.3",
                [](std::string_view v) { return http::parse_content_type(v); });
}

std::optional<std::uint64_t> req::parse_content_length() const {
  return strict(*this, "content-length", "RFC 9110 §8.6",
                [](std::string_view v) { return http::parse_content_length(v); });
}

std::optional<http::etag_list> req::parse_if_match() const {
  return strict(*this, "if-match", "RFC 9110 §13.1.1",
                [](std::string_view v) { return http::parse_if_match(v); });
}

std::optional<http::etag_list> req::parse_if_none_match() const {
  return strict(*this, "if-none-match", "RFC 9110 §13.1.2",
                [](std::string_view v) { return http::parse_if_none_match(v); });
}

// RFC 9110 §13.1.3: "A recipient MUST ignore the If-Modified-Since header field if the
// received field-value is not a valid HTTP-date, [or] the field-value has more than one
// member"; §13.1.4 says the same of If-Unmodified-Since.
std::optional<std::time_t> req::parse_if_modified_since() const {
  return lenient(*this, "if-modified-since",
                 [](std::string_view v) { return http::parse_http_date(v); });
}

std::optional<std::time_t> req::parse_if_unmodified_since() const {
  return lenient(*this, "if-unmodified-since",
                 [](std::string_view v) { return http::parse_http_date(v); });
}

// RFC 9110 §14.2: a server MAY ignore the Range header field; an unknown unit or an invalid
// set is ignored rather than refused.
std::optional<std::vector<http::byte_range>> req::parse_range() const {
  return lenient(*this, "range", [](std::string_view v) { return http::parse_range(v); });
}

}  // namespace rodeo
