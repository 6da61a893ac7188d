#include "rodeo/mw/static/http_date.hpp"

#include <array>
#include <cstdio>
#include <ctime>

namespace rodeo::mw::static_files {

namespace {

constexpr std::array<std::string_view, 7> day_names = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> long_day_names = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> month_names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil {
  std::int64_t year;
  unsigned month, day;
};

civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

// A cursor over the text; every reader consumes on success only.
class cursor {
 public:
  explicit cursor(std::string_view s) : s_(s) {}
  bool done() const { return s_.empty(); }
  bool lit(std::string_view l) {
    if (s_.substr(0, l.size()) != l) return false;
    s_.remove_prefix(l.size());
    return true;
  }
  // Exactly `n` digits.
  bool digits(std::size_t n, int& out) {
    if (s_.size() < n) return false;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (s_[i] < '0' || s_[i] > '9') return false;
      v = v * 10 + (s_[i] - '0');
    }
    s_.remove_prefix(n);
    out = v;
    return true;
  }
  template <std::size_t N>
  bool name(const std::array<std::string_view, N>& names, unsigned& index) {
    for (std::size_t i = 0; i < N; ++i)
      if (lit(names[i])) {
        index = static_cast<unsigned>(i);
        return true;
      }
    return false;
  }

 private:
  std::string_view s_;
};

struct fields {
  std::int64_t year = 0;
  unsigned month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
};

bool time_of_day(cursor& c, fields& f) {
  return c.digits(2, f.hour) && c.lit(":") && c.digits(2, f.minute) && c.lit(":") &&
         c.digits(2, f.second);
}

std::optional<std::int64_t> to_unix(const fields& f) {
  if (f.month > 11 || f.day < 1 || f.day > days_in_month(f.year, f.month + 1)) return {};
  // second 60 is a leap second (RFC 5322 §3.3); it reads as the next second.
  if (f.hour > 23 || f.minute > 59 || f.second > 60) return {};
  return days_from_civil(f.year, f.month + 1, f.day) * 86400 + f.hour * 3600 + f.minute * 60 +
         f.second;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<std::int64_t> parse_imf(std::string_view s) {
  cursor c(s);
  fields f;
  unsigned wd = 0;
  int day = 0, year = 0;
  if (!(c.name(day_names, wd) && c.lit(", ") && c.digits(2, day) && c.lit(" ") &&
        c.name(month_names, f.month) && c.lit(" ") && c.digits(4, year) && c.lit(" ") &&
        time_of_day(c, f) && c.lit(" GMT") && c.done()))
    return {};
  f.day = static_cast<unsigned>(day);
  f.year = year;
  return to_unix(f);
}

// rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT"
std::optional<std::int64_t> parse_rfc850(std::string_view s, int current_year) {
  cursor c(s);
  fields f;
  unsigned wd = 0;
  int day = 0, yy = 0;
  if (!(c.name(long_day_names, wd) && c.lit(", ") && c.digits(2, day) && c.lit("-") &&
        c.name(month_names, f.month) && c.lit("-") && c.digits(2, yy) && c.lit(" ") &&
        time_of_day(c, f) && c.lit(" GMT") && c.done()))
    return {};
  f.day = static_cast<unsigned>(day);
  // RFC 9110 §5.6.7: more than 50 years ahead means the previous century.
  int year = current_year - current_year % 100 + yy;
  if (year > current_year + 50) year -= 100;
  f.year = year;
  return to_unix(f);
}

// asctime-date: "Sun Nov  6 08:49:37 1994"
std::optional<std::int64_t> parse_asctime(std::string_view s) {
  cursor c(s);
  fields f;
  unsigned wd = 0;
  int day = 0, year = 0;
  if (!(c.name(day_names, wd) && c.lit(" ") && c.name(month_names, f.month) && c.lit(" ")))
    return {};
  if (!(c.lit(" ") ? c.digits(1, day) : c.digits(2, day))) return {};
  if (!(c.lit(" ") && time_of_day(c, f) && c.lit(" ") && c.digits(4, year) && c.done())) return {};
  f.day = static_cast<unsigned>(day);
  f.year = year;
  return to_unix(f);
}

}  // namespace

std::string format_http_date(std::int64_t t) {
  std::int64_t days = t / 86400, secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const civil c = civil_from_days(days);
  const auto weekday = static_cast<std::size_t>(((days % 7) + 7 + 4) % 7);  // 1970-01-01: Thu
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02d:%02d:%02d GMT", day_names[weekday].data(),
                c.day, month_names[c.month - 1].data(), static_cast<long long>(c.year),
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

std::optional<std::int64_t> parse_http_date(std::string_view text, int current_year) {
  if (text.size() > 3 && text[3] == ',') return parse_imf(text);
  if (text.find(',') != std::string_view::npos) return parse_rfc850(text, current_year);
  return parse_asctime(text);
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return parse_http_date(text, tm.tm_year + 1900);
}

}  // namespace rodeo::mw::static_files
