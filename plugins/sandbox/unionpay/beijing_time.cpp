#include "beijing_time.hpp"

#include <cstdio>

namespace payhost::sandbox_unionpay {
namespace {

constexpr std::int64_t kBeijingOffset = 8 * 3600;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month, day, hour, minute, second;
};

Civil civil_from_unix(std::int64_t unix) {
  std::int64_t days = unix >= 0 ? unix / 86400 : (unix - 86399) / 86400;
  const std::int64_t secs = unix - days * 86400;
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  Civil c{};
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = static_cast<std::int64_t>(yoe) + era * 400 + (c.month <= 2 ? 1 : 0);
  c.hour = static_cast<unsigned>(secs / 3600);
  c.minute = static_cast<unsigned>(secs % 3600 / 60);
  c.second = static_cast<unsigned>(secs % 60);
  return c;
}

unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

unsigned number(std::string_view digits) {
  unsigned out = 0;
  for (char c : digits)
    out = out * 10 + static_cast<unsigned>(c - '0');
  return out;
}

}  // namespace

std::string beijing_digits(std::int64_t unix) {
  const Civil c = civil_from_unix(unix + kBeijingOffset);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04lld%02u%02u%02u%02u%02u", static_cast<long long>(c.year),
                c.month, c.day, c.hour, c.minute, c.second);
  return buffer;
}

std::string beijing_date_dashed(std::int64_t unix) {
  const std::string digits = beijing_digits(unix);
  return digits.substr(0, 4) + "-" + digits.substr(4, 2) + "-" + digits.substr(6, 2);
}

std::optional<std::int64_t> parse_beijing_digits(std::string_view text) {
  if (text.size() != 14) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const std::int64_t year = number(text.substr(0, 4));
  const unsigned month = number(text.substr(4, 2)), day = number(text.substr(6, 2)),
                 hour = number(text.substr(8, 2)), minute = number(text.substr(10, 2)),
                 second = number(text.substr(12, 2));
  if (year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
         kBeijingOffset;
}

}  // namespace payhost::sandbox_unionpay
