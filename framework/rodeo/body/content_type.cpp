#include "rodeo/body/content_type.hpp"

#include <string>

#include "rodeo/client_error.hpp"
#include "rodeo/req.hpp"

namespace rodeo {

http::media_type require_content_type(const req& r, std::string_view expected,
                                      bool (*accept)(const http::media_type&)) {
  const auto value = r.header("content-type");
  auto type = value ? http::parse_content_type(*value) : std::nullopt;
  if (!type || !accept(*type))
    throw client_error(
        415, "unsupported media type " +
                 (value ? "\"" + std::string{*value} + "\"" : std::string{"(none)"}) + ": send " +
                 std::string{expected});
  return std::move(*type);
}

void check_content_length(const req& r, std::uint64_t limit) {
  if (auto n = r.body_length(); n && *n > limit)
    throw client_error(413, "request body of " + std::to_string(*n) + " bytes: the limit is " +
                                std::to_string(limit));
}

}  // namespace rodeo
