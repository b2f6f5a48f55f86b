// Calendar arithmetic for package validity. Pure functions over civil dates, so the rules
// (month ends, leap years, renewals that chain) are tested without a clock or a database.
//
// A period is half-open: a package bought for [start, end) is active while today < end, and
// a renewal starts exactly on `end`, so chained periods neither overlap nor leave a gap.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace payhost::campus {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..days_in_month

  auto operator<=>(const Date&) const = default;
};

bool is_leap_year(int year) noexcept;
int days_in_month(int year, int month) noexcept;

// Strict "YYYY-MM-DD" with a day that exists (no 2023-02-29).
std::optional<Date> parse_date(std::string_view text);
std::string format_date(const Date& date);

// The civil date at Unix second `unix_seconds` in a zone `utc_offset_minutes` east of UTC.
Date date_from_unix(std::int64_t unix_seconds, int utc_offset_minutes);

Date add_days(const Date& date, std::int64_t days);
// Calendar months; a day that does not exist in the target month is clamped to its last
// day (Jan 31 + 1 month = Feb 28 or 29), as people count "one month".
Date add_months(const Date& date, int months);

// How long a package lasts: exactly one of the two is positive.
struct Validity {
  int months = 0;
  int days = 0;

  bool operator==(const Validity&) const = default;
};

Date extend(const Date& start, const Validity& validity);

struct Period {
  Date start;
  Date end;

  bool operator==(const Period&) const = default;
};

// Buying or renewing a package: it starts today, or on the current end of the same package
// while that is still active (the buyer never loses days already paid for).
Period extension_period(const Date& today, const std::optional<Date>& current_end,
                        const Validity& validity);

// Upgrading replaces the package from today and keeps the end already paid for. An end
// that has passed meanwhile (paid after expiry) gives an empty period starting today.
Period upgrade_period(const Date& today, const Date& current_end);

inline bool is_active(const Date& end, const Date& today) {
  return today < end;
}

}  // namespace payhost::campus
