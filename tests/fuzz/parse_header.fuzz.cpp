// Header value parsers (framework/rodeo/http: parse_header, accept, etag, date): every
// parser runs on the same arbitrary value, as any of them may meet any bytes a client sends.
// Properties beyond "no crash": an entity-tag and an HTTP date read back from what the
// formatter makes of them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rodeo/http/accept.hpp"
#include "rodeo/http/date.hpp"
#include "rodeo/http/etag.hpp"
#include "rodeo/http/parse_header.hpp"

using namespace rodeo::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in{reinterpret_cast<const char*>(data), size};

  if (auto ct = parse_content_type(in)) {
    for (const auto& [name, value] : ct->params)
      if (!ct->param(name)) std::abort();
  }
  (void)parse_content_length(in);
  (void)parse_cache_control(in);
  (void)parse_connection(in);
  (void)parse_upgrade(in);
  if (auto a = parse_accept(in))
    for (const auto& r : *a)
      if (r.quality < 0 || r.quality > 1000) std::abort();
  (void)parse_accept_charset(in);
  (void)parse_accept_encoding(in);
  (void)parse_accept_language(in);

  if (auto tag = parse_etag(in)) {
    auto again = parse_etag(to_string(*tag));
    if (!again || *again != *tag || !etag_weak_match(*tag, *again)) std::abort();
  }
  (void)parse_if_match(in);
  (void)parse_if_none_match(in);

  // 2026-01-01: a fixed `now` for the RFC 850 century.
  if (auto t = parse_http_date(in, 1767225600)) {
    auto again = parse_http_date(format_http_date(*t), 1767225600);
    if (!again || *again != *t) std::abort();
  }
  return 0;
}
