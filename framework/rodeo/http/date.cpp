#include "rodeo/http/date.hpp"

#include <array>
#include <cstdint>

#include "rodeo/http/lex.hpp"

namespace rodeo::http {

namespace {

using detail::is_digit;

constexpr std::array<std::string_view, 7> short_days = {"Mon", "Tue", "Wed", "Thu",
                                                        "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> long_days = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

struct civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

constexpr civil civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

constexpr bool is_leap(std::int64_t y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/// Reads exactly `n` digits.
std::optional<unsigned> digits(detail::cursor& c, std::size_t n) noexcept {
  const auto s = c.span(is_digit, n);
  if (s.size() != n) return std::nullopt;
  unsigned v = 0;
  for (char ch : s) v = v * 10 + static_cast<unsigned>(ch - '0');
  return v;
}

template <std::size_t N>
bool one_of(detail::cursor& c, const std::array<std::string_view, N>& names, unsigned* index) {
  for (std::size_t i = 0; i < N; ++i) {
    if (c.eat(names[i])) {
      if (index != nullptr) *index = static_cast<unsigned>(i) + 1;
      return true;
    }
  }
  return false;
}

struct fields {
  std::int64_t year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

/// time-of-day = hour ":" minute ":" second
bool time_of_day(detail::cursor& c, fields& f) noexcept {
  const auto h = digits(c, 2);
  if (!h || !c.eat(':')) return false;
  const auto m = digits(c, 2);
  if (!m || !c.eat(':')) return false;
  const auto s = digits(c, 2);
  if (!s) return false;
  f.hour = *h;
  f.minute = *m;
  f.second = *s;
  return true;
}

std::optional<std::time_t> to_time(const fields& f) noexcept {
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > days_in_month(f.year, f.month))
    return std::nullopt;
  // RFC 9110 §5.6.7: 00:00:00 - 23:59:60 (leap second).
  if (f.hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
  const auto days = days_from_civil(f.year, f.month, f.day);
  return static_cast<std::time_t>(days * 86400 + f.hour * 3600 + f.minute * 60 + f.second);
}

// IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT ; date1 = day SP month SP year
bool imf_fixdate(detail::cursor& c, fields& f) {
  if (!one_of(c, short_days, nullptr) || !c.eat(',') || !c.eat(' ')) return false;
  const auto d = digits(c, 2);
  if (!d || !c.eat(' ') || !one_of(c, months, &f.month) || !c.eat(' ')) return false;
  const auto y = digits(c, 4);
  if (!y || !c.eat(' ') || !time_of_day(c, f) || !c.eat(' ')) return false;
  if (!c.eat(std::string_view{"GMT"}) || !c.done()) return false;
  f.day = *d;
  f.year = *y;
  return true;
}

// rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT ; date2 = day "-" month "-" 2DIGIT
bool rfc850_date(detail::cursor& c, fields& f, std::int64_t now_year) {
  if (!one_of(c, long_days, nullptr) || !c.eat(',') || !c.eat(' ')) return false;
  const auto d = digits(c, 2);
  if (!d || !c.eat('-') || !one_of(c, months, &f.month) || !c.eat('-')) return false;
  const auto yy = digits(c, 2);
  if (!yy || !c.eat(' ') || !time_of_day(c, f) || !c.eat(' ')) return false;
  if (!c.eat(std::string_view{"GMT"}) || !c.done()) return false;
  f.day = *d;
  // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is in the past.
  std::int64_t year = now_year - now_year % 100 + *yy;
  if (year > now_year + 50)
    year -= 100;
  else if (year <= now_year - 50)
    year += 100;
  f.year = year;
  return true;
}

// asctime-date = day-name SP date3 SP time-of-day SP year ; date3 = month SP ( 2DIGIT / ( SP DIGIT
// ))
bool asctime_date(detail::cursor& c, fields& f) {
  if (!one_of(c, short_days, nullptr) || !c.eat(' ')) return false;
  if (!one_of(c, months, &f.month) || !c.eat(' ')) return false;
  std::optional<unsigned> d;
  if (c.eat(' '))
    d = digits(c, 1);
  else
    d = digits(c, 2);
  if (!d || !c.eat(' ') || !time_of_day(c, f) || !c.eat(' ')) return false;
  const auto y = digits(c, 4);
  if (!y || !c.done()) return false;
  f.day = *d;
  f.year = *y;
  return true;
}

}  // namespace

std::optional<std::time_t> parse_http_date(std::string_view value, std::time_t now) noexcept {
  const auto v = detail::trim_ows(value);
  // The day name decides the form: "Sun," IMF, "Sunday," RFC 850, "Sun " asctime.
  const auto comma = v.find(',');
  fields f;
  detail::cursor c{v};
  bool ok = false;
  if (comma == 3) {
    ok = imf_fixdate(c, f);
  } else if (comma != std::string_view::npos && comma > 3) {
    const auto now_year = civil_from_days(floor_div(now, 86400)).year;
    ok = rfc850_date(c, f, now_year);
  } else {
    ok = asctime_date(c, f);
  }
  if (!ok) return std::nullopt;
  return to_time(f);
}

std::optional<std::time_t> parse_http_date(std::string_view value) noexcept {
  return parse_http_date(value, std::time(nullptr));
}

std::string format_http_date(std::time_t t) {
  constexpr std::int64_t min_t = -62167219200;  // 0000-01-01T00:00:00Z
  constexpr std::int64_t max_t = 253402300799;  // 9999-12-31T23:59:59Z
  auto secs = static_cast<std::int64_t>(t);
  if (secs < min_t) secs = min_t;
  if (secs > max_t) secs = max_t;
  const auto days = floor_div(secs, 86400);
  const auto rem = secs - days * 86400;
  const auto date = civil_from_days(days);
  // 1970-01-01 was a Thursday (index 3 from Monday).
  const auto weekday = static_cast<std::size_t>(((days % 7) + 7 + 3) % 7);
  const auto two = [](std::string& out, std::int64_t v) {
    out.push_back(static_cast<char>('0' + v / 10));
    out.push_back(static_cast<char>('0' + v % 10));
  };
  std::string out;
  out.reserve(29);
  out += short_days[weekday];
  out += ", ";
  two(out, date.day);
  out.push_back(' ');
  out += months[date.month - 1];
  out.push_back(' ');
  two(out, date.year / 100);
  two(out, date.year % 100);
  out.push_back(' ');
  two(out, rem / 3600);
  out.push_back(':');
  two(out, rem / 60 % 60);
  out.push_back(':');
  two(out, rem % 60);
  out += " GMT";
  return out;
}

}  // namespace rodeo::http
