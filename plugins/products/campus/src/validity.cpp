#include "validity.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace payhost::campus {
namespace {

namespace chr = std::chrono;

chr::sys_days to_sys_days(const Date& d) {
  return chr::sys_days{chr::year{d.year} / chr::month{static_cast<unsigned>(d.month)} /
                       chr::day{static_cast<unsigned>(d.day)}};
}

Date from_ymd(const chr::year_month_day& ymd) {
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

// Floor division: dates before 1970 must not round towards zero.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s)
    v = v * 10 + (c - '0');
  return v;
}

}  // namespace

bool is_leap_year(int year) noexcept {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) noexcept {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!digits(y) || !digits(m) || !digits(d)) return std::nullopt;
  Date date{to_int(y), to_int(m), to_int(d)};
  if (date.year < 1 || date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > days_in_month(date.year, date.month)) {
    return std::nullopt;
  }
  return date;
}

std::string format_date(const Date& date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

Date date_from_unix(std::int64_t unix_seconds, int utc_offset_minutes) {
  const std::int64_t local = unix_seconds + std::int64_t{utc_offset_minutes} * 60;
  const chr::sys_days day{chr::days{floor_div(local, 86400)}};
  return from_ymd(chr::year_month_day{day});
}

Date add_days(const Date& date, std::int64_t days) {
  return from_ymd(chr::year_month_day{to_sys_days(date) + chr::days{days}});
}

Date add_months(const Date& date, int months) {
  // Count months from year 0 so negative steps carry into the year correctly.
  const std::int64_t index = std::int64_t{date.year} * 12 + (date.month - 1) + months;
  const int year = static_cast<int>(floor_div(index, 12));
  const int month = static_cast<int>(index - std::int64_t{year} * 12) + 1;
  return Date{year, month, std::min(date.day, days_in_month(year, month))};
}

Date extend(const Date& start, const Validity& validity) {
  return validity.months > 0 ? add_months(start, validity.months) : add_days(start, validity.days);
}

Period extension_period(const Date& today, const std::optional<Date>& current_end,
                        const Validity& validity) {
  const Date start = current_end && is_active(*current_end, today) ? *current_end : today;
  return Period{start, extend(start, validity)};
}

Period upgrade_period(const Date& today, const Date& current_end) {
  return Period{today, std::max(today, current_end)};
}

}  // namespace payhost::campus
