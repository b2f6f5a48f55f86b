#include "beijing_time.hpp"

#include <array>
#include <cstdlib>

namespace payhost::unionpay {
namespace {

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
  unsigned month, day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool is_leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

std::optional<unsigned> digits(std::string_view text, std::size_t pos, std::size_t count) {
  unsigned value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

// Seconds since the epoch of a civil time, or nullopt if a field is out of range.
std::optional<std::int64_t> civil_seconds(std::int64_t y, unsigned mo, unsigned d, unsigned h,
                                          unsigned mi, unsigned s) {
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59) {
    return std::nullopt;
  }
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

std::optional<std::int64_t> parse_stamp(std::string_view text) {
  if (text.size() != 14) return std::nullopt;
  const auto y = digits(text, 0, 4), mo = digits(text, 4, 2), d = digits(text, 6, 2),
             h = digits(text, 8, 2), mi = digits(text, 10, 2), s = digits(text, 12, 2);
  if (!y || !mo || !d || !h || !mi || !s || *y < 2000 || *y > 2099) return std::nullopt;
  return civil_seconds(*y, *mo, *d, *h, *mi, *s);
}

}  // namespace

std::string format_txn_time(std::int64_t unix_seconds) {
  const std::int64_t local = unix_seconds + kBeijingOffsetSeconds;
  std::int64_t days = local / 86400;
  std::int64_t rest = local % 86400;
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  const Civil c = civil_from_days(days);
  const auto two = [](std::int64_t v) {
    return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
  };
  std::string out = std::to_string(c.year);
  while (out.size() < 4)
    out.insert(out.begin(), '0');
  out += two(c.month) + two(c.day) + two(rest / 3600) + two(rest / 60 % 60) + two(rest % 60);
  return out;
}

std::optional<std::int64_t> parse_txn_time(std::string_view text) {
  const auto local = parse_stamp(text);
  if (!local) return std::nullopt;
  return *local - kBeijingOffsetSeconds;
}

std::optional<std::int64_t> parse_utc_stamp(std::string_view text) {
  return parse_stamp(text);
}

std::optional<std::int64_t> parse_trace_time(std::string_view text, std::int64_t reference) {
  if (text.size() != 10) return std::nullopt;
  const auto mo = digits(text, 0, 2), d = digits(text, 2, 2), h = digits(text, 4, 2),
             mi = digits(text, 6, 2), s = digits(text, 8, 2);
  if (!mo || !d || !h || !mi || !s) return std::nullopt;
  const std::int64_t reference_year =
      civil_from_days((reference + kBeijingOffsetSeconds) / 86400).year;
  std::optional<std::int64_t> best;
  for (std::int64_t y = reference_year - 1; y <= reference_year + 1; ++y) {
    const auto local = civil_seconds(y, *mo, *d, *h, *mi, *s);
    if (!local) continue;  // 29 February outside a leap year
    const std::int64_t t = *local - kBeijingOffsetSeconds;
    if (!best || std::llabs(t - reference) < std::llabs(*best - reference)) best = t;
  }
  return best;
}

}  // namespace payhost::unionpay
