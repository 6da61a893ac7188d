#include "rodeo/internal/protocol/http1/response_writer.hpp"

#include <doctest/doctest.h>

using namespace rodeo::http1;

TEST_CASE("RFC 9110 §5.6.7: IMF-fixdate") {
  CHECK(rodeo::http::format_http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(rodeo::http::format_http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(rodeo::http::format_http_date(951782400) == "Tue, 29 Feb 2000 00:00:00 GMT");
  date_cache cache;
  auto now = std::string{cache.now()};
  CHECK(now.size() == 29);
  CHECK(now.ends_with(" GMT"));
}

TEST_CASE("RFC 9112 §4: status lines") {
  std::string out;
  write_status_line(out, 404);
  write_status_line(out, 599);
  CHECK(out == "HTTP/1.1 404 Not Found\r\nHTTP/1.1 599 \r\n");
}

TEST_CASE("RFC 9112 §7.1: chunks in hex, no empty chunk, last chunk with trailers") {
  std::string out;
  write_chunk(out, "");
  write_chunk(out, std::string(255, 'x'));
  CHECK(out == "ff\r\n" + std::string(255, 'x') + "\r\n");
  out.clear();
  write_last_chunk(out, {{"x-a", "1"}, {"bad\r\n", "2"}});
  CHECK(out == "0\r\nx-a: 1\r\n\r\n");
}

TEST_CASE("RFC 9112 §6: the response head with the engine's extras") {
  std::string out;
  head_extras extras;
  extras.content_length = 0;
  extras.date = "D";
  extras.server = "S";
  extras.connection = "close";
  write_response_head(out, 200, {{"content-length", "9"}, {"x", "y"}, {"Connection", "x"}}, extras);
  CHECK(out ==
        "HTTP/1.1 200 OK\r\nx: y\r\ncontent-length: 0\r\ndate: D\r\nserver: S\r\n"
        "connection: close\r\n\r\n");
  out.clear();
  head_extras streamed;
  streamed.chunked = true;
  write_response_head(out, 200, {{"content-length", "9"}}, streamed);
  CHECK(out == "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
  // RFC 7838 §3: the listener's alt-svc, unless the handler gave its own (as server).
  out.clear();
  head_extras alt;
  alt.alt_svc = "h3=\":443\"";
  write_response_head(out, 200, {}, alt);
  CHECK(out == "HTTP/1.1 200 OK\r\nalt-svc: h3=\":443\"\r\n\r\n");
  out.clear();
  write_response_head(out, 200, {{"Alt-Svc", "clear"}}, alt);
  CHECK(out == "HTTP/1.1 200 OK\r\nAlt-Svc: clear\r\n\r\n");
  CHECK(is_writable_field("x-a", "v v\t"));
  CHECK_FALSE(is_writable_field("x-a", std::string_view{"a\0b", 3}));
  CHECK_FALSE(is_writable_field("x a", "v"));
}
