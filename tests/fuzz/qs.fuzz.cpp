// Query strings and form bodies (framework/rodeo/http/qs): parse_qs, urldecode, build_qs,
// match_qs on arbitrary bytes. Properties beyond "no crash": the throwing and `try_` forms
// agree; build_qs then parse_qs gives the pairs back; urldecode(urlencode(x)) == x.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "rodeo/http/qs.hpp"

using namespace rodeo::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in{reinterpret_cast<const char*>(data), size};

  auto pairs = try_parse_qs(in);
  try {
    auto thrown = parse_qs(in);
    if (!pairs || *pairs != thrown) std::abort();
  } catch (const std::invalid_argument&) {
    if (pairs) std::abort();
  }
  if (pairs) {
    auto again = try_parse_qs(build_qs(*pairs));
    if (!again || *again != *pairs) std::abort();
  }

  auto decoded = try_urldecode(in);
  try {
    auto thrown = urldecode(in);
    if (!decoded || *decoded != thrown) std::abort();
  } catch (const std::invalid_argument&) {
    if (decoded) std::abort();
  }
  if (urldecode(urlencode(in)) != in) std::abort();

  static const std::vector<qs_field> fields = {
      {"id", {int_c}},
      {"name", {nonempty_c}, std::string{"anonymous"}},
      {"tags", {}, std::string{}},
  };
  try {
    (void)match_qs(in, fields);
  } catch (const std::invalid_argument&) {  // qs_error too: both mean 400
  }
  return 0;
}
