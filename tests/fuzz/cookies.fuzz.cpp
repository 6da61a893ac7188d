// Cookies (framework/rodeo/http/cookies): parse_cookies on arbitrary bytes, and Set-Cookie
// values built from fuzzed parts. Properties beyond "no crash": the throwing and `try_` forms
// agree; a Set-Cookie value that was accepted reads back, as a Cookie header, as its pair.
// Input: `cookie header [\n name \n value \n domain \n path \n same_site]`.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "input_lines.hpp"
#include "rodeo/http/cookies.hpp"

using namespace rodeo::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in{reinterpret_cast<const char*>(data), size};
  auto parts = rodeo::fuzz::lines(in);

  auto pairs = try_parse_cookies(parts[0]);
  try {
    auto thrown = parse_cookies(parts[0]);
    if (!pairs || *pairs != thrown) std::abort();
  } catch (const std::invalid_argument&) {
    if (pairs) std::abort();
  }

  if (parts.size() < 3) return 0;
  cookie_options opts;
  if (parts.size() > 3) opts.domain = parts[3];
  if (parts.size() > 4) opts.path = parts[4];
  if (parts.size() > 5) opts.same_site = parts[5];
  opts.secure = size % 2;
  opts.http_only = size % 3 == 0;
  if (size % 5 == 0) opts.max_age = static_cast<std::int64_t>(size) - 100;
  std::string set_cookie;
  try {
    set_cookie = set_cookie_value(parts[1], parts[2], opts, 784111777);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  // The part before the first ';' is what the user agent sends back (RFC 6265 §5.4).
  auto back = try_parse_cookies(set_cookie.substr(0, set_cookie.find(';')));
  if (!back || back->size() != 1 || (*back)[0].first != parts[1] || (*back)[0].second != parts[2])
    std::abort();
  return 0;
}
