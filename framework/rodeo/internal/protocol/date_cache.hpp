#pragma once
// The `date` field of responses (RFC 9110 §6.6.1), for both protocol engines: the current
// time as an IMF-fixdate, formatted at most once per second. Header-only: each engine's
// object library uses it alone.

#include <ctime>
#include <string>
#include <string_view>

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

/// `t` as an IMF-fixdate (RFC 9110 §5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
inline std::string imf_fixdate(std::time_t t) {
  // Formatted by hand: strftime's %a and %b follow the C locale, which a program may change.
  static constexpr std::string_view days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&t, &tm);
  auto two = [](std::string& s, int v) {
    s += static_cast<char>('0' + v / 10);
    s += static_cast<char>('0' + v % 10);
  };
  std::string s;
  s.reserve(29);
  s += days[tm.tm_wday];
  s += ", ";
  two(s, tm.tm_mday);
  s += ' ';
  s += months[tm.tm_mon];
  s += ' ';
  s += std::to_string(tm.tm_year + 1900);
  s += ' ';
  two(s, tm.tm_hour);
  s += ':';
  two(s, tm.tm_min);
  s += ':';
  two(s, tm.tm_sec);
  s += " GMT";
  return s;
}

inline std::string_view date_cache::now() {
  auto t = std::time(nullptr);
  if (t != second_) {
    second_ = t;
    text_ = imf_fixdate(t);
  }
  return text_;
}

}  // namespace rodeo
