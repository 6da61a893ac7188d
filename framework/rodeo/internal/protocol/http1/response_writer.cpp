#include "rodeo/internal/protocol/http1/response_writer.hpp"

#include <array>

#include "rodeo/internal/protocol/http1/field_syntax.hpp"
#include "rodeo/internal/protocol/http1/status.hpp"

namespace rodeo::http1 {

bool is_writable_field(std::string_view name, std::string_view value) noexcept {
  if (!is_token(name)) return false;
  return value.find_first_of(std::string_view{"\r\n\0", 3}) == std::string_view::npos;
}

void write_status_line(std::string& out, int status) {
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += reason_phrase(status);
  out += "\r\n";
}

void write_field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

void write_fields(std::string& out, const headers& fields) {
  for (const auto& [name, value] : fields)
    if (is_writable_field(name, value)) write_field(out, name, value);
}

void write_response_head(std::string& out, int status, const headers& fields,
                         const head_extras& extras) {
  write_status_line(out, status);
  bool has_date = false, has_server = false, has_alt_svc = false;
  for (const auto& [name, value] : fields) {
    // RFC 9112 §6.1, §7.6.1, §9.6: framing and connection management are the engine's.
    // Handlers should send lowercase names; compare without case all the same.
    if (iequals(name, "transfer-encoding") || iequals(name, "connection") ||
        iequals(name, "keep-alive") || iequals(name, "proxy-connection"))
      continue;
    if (iequals(name, "content-length") && !extras.keep_content_length) continue;
    if (!is_writable_field(name, value)) continue;
    has_date = has_date || iequals(name, "date");
    has_server = has_server || iequals(name, "server");
    has_alt_svc = has_alt_svc || iequals(name, "alt-svc");
    write_field(out, name, value);
  }
  if (extras.content_length)
    write_field(out, "content-length", std::to_string(*extras.content_length));
  if (extras.chunked) write_field(out, "transfer-encoding", "chunked");
  if (!has_date && !extras.date.empty()) write_field(out, "date", extras.date);
  if (!has_server && !extras.server.empty()) write_field(out, "server", extras.server);
  if (!has_alt_svc && !extras.alt_svc.empty()) write_field(out, "alt-svc", extras.alt_svc);
  if (!extras.connection.empty()) write_field(out, "connection", extras.connection);
  out += "\r\n";
}

void write_chunk_size(std::string& out, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::array<char, 16> hex{};
  std::size_t n = size, len = 0;
  for (; n != 0; n >>= 4) hex[len++] = digits[n & 0xf];
  while (len != 0) out += hex[--len];
  out += "\r\n";
}

void write_chunk(std::string& out, std::string_view data) {
  if (data.empty()) return;
  write_chunk_size(out, data.size());
  out += data;
  out += "\r\n";
}

void write_last_chunk(std::string& out, const headers& trailers) {
  out += "0\r\n";
  write_fields(out, trailers);
  out += "\r\n";
}

}  // namespace rodeo::http1
