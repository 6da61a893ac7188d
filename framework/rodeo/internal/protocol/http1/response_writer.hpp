#pragma once
/// \file
/// Serialization of HTTP/1.1 response pieces (RFC 9112 §4, §5, §7.1): status lines, field
/// lines, chunks, and the IMF-fixdate of the `date` field. Appends to a caller's buffer.

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "rodeo/headers.hpp"
#include "rodeo/internal/protocol/date_cache.hpp"

namespace rodeo::http1 {

/// True when the field may go on the wire as given: the name is a token (RFC 9110 §5.1) and the
/// value holds no CR, LF or NUL (RFC 9110 §5.5). What fails is dropped, so that a handler's
/// value cannot split the response.
bool is_writable_field(std::string_view name, std::string_view value) noexcept;

/// Appends `HTTP/1.1 <status> <reason>\r\n` (RFC 9112 §4). Rodeo answers HTTP/1.0 clients
/// with HTTP/1.1 too: the highest version it conforms to (RFC 9110 §6.2).
void write_status_line(std::string& out, int status);

/// Appends `name: value\r\n`.
void write_field(std::string& out, std::string_view name, std::string_view value);

/// Appends the writable fields of `fields` (see is_writable_field).
void write_fields(std::string& out, const headers& fields);

/// What the engine adds to a handler's response fields (RFC 9112 §6, §9.6; RFC 9110 §6.6).
struct head_extras {
  std::optional<std::uint64_t> content_length;  ///< written as content-length.
  bool keep_content_length = false;  ///< keep the handler's content-length (HEAD, 304, streams).
  bool chunked = false;              ///< `transfer-encoding: chunked`.
  std::string_view date;             ///< written unless empty or the handler gave a date.
  std::string_view server;           ///< written unless empty or the handler gave a server.
  std::string_view alt_svc;          ///< written unless empty or the handler gave an alt-svc.
  std::string_view connection;       ///< "close", "keep-alive" or empty.
};

/// Appends a response head: the status line, the handler's writable `fields`, then `extras`,
/// then the empty line. Fields that belong to the connection, not the handler, are dropped
/// from `fields`: transfer-encoding, connection, keep-alive, proxy-connection, and
/// content-length unless `extras.keep_content_length`.
void write_response_head(std::string& out, int status, const headers& fields,
                         const head_extras& extras);

/// The size line of a chunk of `size` bytes (not 0): hex size, CRLF (RFC 9112 §7.1).
void write_chunk_size(std::string& out, std::size_t size);

/// Appends one chunk (RFC 9112 §7.1): hex size, CRLF, data, CRLF. Empty data appends nothing,
/// since a zero-size chunk is the last chunk.
void write_chunk(std::string& out, std::string_view data);

/// Appends the last chunk, the trailer section `trailers` and the final CRLF (RFC 9112 §7.1.2).
void write_last_chunk(std::string& out, const headers& trailers);

using rodeo::date_cache;

}  // namespace rodeo::http1
