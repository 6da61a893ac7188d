#pragma once
// The `date` field of responses (RFC 9110 §6.6.1), for both protocol engines: the current
// time as an IMF-fixdate (rodeo/http/date.hpp), formatted at most once per second.

#include <ctime>
#include <string>
#include <string_view>

#include "rodeo/http/date.hpp"

namespace rodeo {

/// The current time as an IMF-fixdate, formatted at most once per second.
class date_cache {
 public:
  /// The date of now; the view is valid until the next call.
  std::string_view now();

 private:
  std::time_t second_ = -1;
  std::string text_;
};

inline std::string_view date_cache::now() {
  auto t = std::time(nullptr);
  if (t != second_) {
    second_ = t;
    text_ = http::format_http_date(t);
  }
  return text_;
}

}  // namespace rodeo
