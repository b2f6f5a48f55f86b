#include <gtest/gtest.h>

#include "validity.hpp"

namespace payhost::campus {
namespace {

Date d(const char* text) {
  auto date = parse_date(text);
  EXPECT_TRUE(date) << text;
  return date.value_or(Date{});
}

std::string s(const Date& date) {
  return format_date(date);
}

TEST(Validity, ParsesAndFormatsStrictIsoDates) {
  EXPECT_EQ(s(d("2024-02-29")), "2024-02-29");
  EXPECT_EQ(s(d("0999-01-01")), "0999-01-01");
  for (const char* bad :
       {"2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-1-01", "2024/01/01",
        "24-01-01", "2024-01-01 ", "", "2024-01-0a", "1900-02-29"}) {
    EXPECT_FALSE(parse_date(bad)) << bad;
  }
  EXPECT_TRUE(parse_date("2000-02-29"));  // divisible by 400: leap
}

TEST(Validity, LeapYears) {
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_FALSE(is_leap_year(2100));
  EXPECT_FALSE(is_leap_year(2023));
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2023, 2), 28);
  EXPECT_EQ(days_in_month(2023, 4), 30);
  EXPECT_EQ(days_in_month(2023, 12), 31);
}

TEST(Validity, MonthsClampToTheLastDayOfShortMonths) {
  EXPECT_EQ(s(add_months(d("2024-01-31"), 1)), "2024-02-29");
  EXPECT_EQ(s(add_months(d("2023-01-31"), 1)), "2023-02-28");
  EXPECT_EQ(s(add_months(d("2024-03-31"), 1)), "2024-04-30");
  EXPECT_EQ(s(add_months(d("2024-08-31"), 6)), "2025-02-28");
  EXPECT_EQ(s(add_months(d("2024-05-31"), 9)), "2025-02-28");
  EXPECT_EQ(s(add_months(d("2027-05-31"), 9)), "2028-02-29");
  EXPECT_EQ(s(add_months(d("2024-01-15"), 1)), "2024-02-15");
}

TEST(Validity, YearsFromLeapDay) {
  EXPECT_EQ(s(add_months(d("2024-02-29"), 12)), "2025-02-28");
  EXPECT_EQ(s(add_months(d("2024-02-29"), 48)), "2028-02-29");
  EXPECT_EQ(s(add_months(d("2023-02-28"), 12)), "2024-02-28");
}

TEST(Validity, MonthsCarryIntoYears) {
  EXPECT_EQ(s(add_months(d("2024-12-15"), 1)), "2025-01-15");
  EXPECT_EQ(s(add_months(d("2024-11-30"), 14)), "2026-01-30");
  EXPECT_EQ(s(add_months(d("2024-12-31"), 120)), "2034-12-31");
  EXPECT_EQ(s(add_months(d("2024-01-31"), -1)), "2023-12-31");
  EXPECT_EQ(s(add_months(d("2024-03-31"), -1)), "2024-02-29");
}

TEST(Validity, Days) {
  EXPECT_EQ(s(add_days(d("2024-02-28"), 1)), "2024-02-29");
  EXPECT_EQ(s(add_days(d("2023-02-28"), 1)), "2023-03-01");
  EXPECT_EQ(s(add_days(d("2024-12-31"), 1)), "2025-01-01");
  EXPECT_EQ(s(add_days(d("2024-01-01"), 366)), "2025-01-01");
  EXPECT_EQ(s(add_days(d("2023-01-01"), 365)), "2024-01-01");
  EXPECT_EQ(s(add_days(d("2024-03-01"), -1)), "2024-02-29");
  EXPECT_EQ(s(add_days(d("2024-01-31"), 30)), "2024-03-01");
}

TEST(Validity, DateFromUnixUsesTheSchoolsZone) {
  // 2024-02-28T16:00:00Z is midnight of the 29th in Beijing (UTC+8).
  EXPECT_EQ(s(date_from_unix(1709136000, 480)), "2024-02-29");
  EXPECT_EQ(s(date_from_unix(1709136000 - 1, 480)), "2024-02-28");
  EXPECT_EQ(s(date_from_unix(1709136000, 0)), "2024-02-28");
  EXPECT_EQ(s(date_from_unix(0, 0)), "1970-01-01");
  EXPECT_EQ(s(date_from_unix(0, -60)), "1969-12-31");  // floor, not truncation
  EXPECT_EQ(s(date_from_unix(951782400, 0)), "2000-02-29");
}

TEST(Validity, BuyStartsTodayWithoutAnActivePackage) {
  const Validity year{12, 0};
  EXPECT_EQ(extension_period(d("2024-02-29"), std::nullopt, year),
            (Period{d("2024-02-29"), d("2025-02-28")}));
  // Expired (end <= today): a fresh period from today.
  EXPECT_EQ(extension_period(d("2024-05-10"), d("2024-05-10"), year),
            (Period{d("2024-05-10"), d("2025-05-10")}));
  EXPECT_EQ(extension_period(d("2024-05-10"), d("2023-01-01"), Validity{0, 30}),
            (Period{d("2024-05-10"), d("2024-06-09")}));
}

TEST(Validity, BuyOrRenewWhileActiveStartsAtTheCurrentEnd) {
  EXPECT_EQ(extension_period(d("2024-05-10"), d("2024-05-11"), Validity{12, 0}),
            (Period{d("2024-05-11"), d("2025-05-11")}));
  EXPECT_EQ(extension_period(d("2024-01-15"), d("2024-01-31"), Validity{1, 0}),
            (Period{d("2024-01-31"), d("2024-02-29")}));
  EXPECT_EQ(extension_period(d("2024-12-01"), d("2024-12-31"), Validity{0, 1}),
            (Period{d("2024-12-31"), d("2025-01-01")}));
}

TEST(Validity, RenewalsChainWithoutGapOrOverlap) {
  Date today = d("2024-01-31");
  std::optional<Date> end;
  std::vector<std::string> ends;
  for (int i = 0; i < 4; ++i) {
    const Period p = extension_period(today, end, Validity{1, 0});
    if (end) {
      EXPECT_EQ(p.start, *end);
    }
    end = p.end;
    ends.push_back(s(p.end));
  }
  // Clamping at Feb 29 carries on from there: each renewal extends from the current end.
  EXPECT_EQ(ends,
            (std::vector<std::string>{"2024-02-29", "2024-03-29", "2024-04-29", "2024-05-29"}));
}

TEST(Validity, UpgradeKeepsTheEndDate) {
  EXPECT_EQ(upgrade_period(d("2024-03-01"), d("2025-02-28")),
            (Period{d("2024-03-01"), d("2025-02-28")}));
  // Paid after the old package ran out: nothing left to keep, an empty period from today.
  EXPECT_EQ(upgrade_period(d("2024-03-01"), d("2024-02-01")),
            (Period{d("2024-03-01"), d("2024-03-01")}));
}

TEST(Validity, ActiveIsHalfOpen) {
  EXPECT_TRUE(is_active(d("2024-05-11"), d("2024-05-10")));
  EXPECT_FALSE(is_active(d("2024-05-10"), d("2024-05-10")));
}

}  // namespace
}  // namespace payhost::campus
