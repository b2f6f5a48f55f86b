#include "payhost/sdk/beijing_time.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <limits>
#include <string>

namespace payhost::sdk::beijing {
namespace {

std::string text(const WallClock& t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d-%02u-%02u %02u:%02u:%02u", t.year, t.month, t.day, t.hour,
                t.minute, t.second);
  return buf;
}

TEST(BeijingTime, WallClockIsUtcPlusEight) {
  EXPECT_EQ(text(wall_clock(0)), "1970-01-01 08:00:00");
  EXPECT_EQ(text(wall_clock(-28801)), "1969-12-31 23:59:59");
  EXPECT_EQ(text(wall_clock(1703141270)), "2023-12-21 14:47:50");
  EXPECT_EQ(text(wall_clock(1624523846)), "2021-06-24 16:37:26");
  EXPECT_EQ(text(wall_clock(1709222399)), "2024-02-29 23:59:59");  // a leap day
  EXPECT_EQ(text(wall_clock(1709222400)), "2024-03-01 00:00:00");
  EXPECT_EQ(text(wall_clock(4102444799)), "2100-01-01 07:59:59");  // 2100 is not leap
  EXPECT_EQ(text(wall_clock(-31000000000)), "987-08-26 00:53:20");
  EXPECT_EQ(text(wall_clock(253402272000)), "10000-01-01 00:00:00");
}

TEST(BeijingTime, InstantsBeyondTheCalendarAreClamped) {
  EXPECT_EQ(text(wall_clock(std::numeric_limits<std::int64_t>::max())), "32767-12-31 23:59:59");
  EXPECT_EQ(text(wall_clock(std::numeric_limits<std::int64_t>::min())), "-32767-01-01 00:00:00");
}

TEST(BeijingTime, ToUnixRefusesTimesThatDoNotExist) {
  EXPECT_EQ(to_unix({2023, 12, 21, 14, 48, 36}), 1703141316);
  EXPECT_EQ(to_unix({2024, 2, 29, 12, 0, 0}), 1709179200);
  EXPECT_EQ(to_unix({2024, 2, 29, 12, 0, 0}, std::chrono::seconds{0}), 1709179200 + 8 * 3600);
  EXPECT_EQ(to_unix({2024, 2, 29, 12, 0, 0}, std::chrono::seconds{-5 * 3600}),
            1709179200 + 13 * 3600);
  for (const WallClock& bad :
       {WallClock{2023, 2, 29, 0, 0, 0}, WallClock{2023, 13, 1, 0, 0, 0},
        WallClock{2023, 0, 10, 0, 0, 0}, WallClock{2023, 12, 32, 0, 0, 0},
        WallClock{2023, 12, 21, 24, 0, 0}, WallClock{2023, 12, 21, 14, 60, 0},
        WallClock{2023, 12, 21, 14, 48, 60}, WallClock{2100, 2, 29, 0, 0, 0}}) {
    EXPECT_FALSE(to_unix(bad).has_value()) << text(bad);
  }
}

TEST(BeijingTime, RoundTripsEverySecondOfADayAndEveryDayOfFourYears) {
  for (std::int64_t t = 1703088000; t < 1703088000 + 86400; ++t) {
    ASSERT_EQ(to_unix(wall_clock(t)), t);
  }
  for (std::int64_t t = 1672502400; t < 1672502400 + 4 * 366 * 86400LL; t += 86400 - 1) {
    ASSERT_EQ(to_unix(wall_clock(t)), t);
  }
}

TEST(BeijingTime, DoesNotDependOnTheMachineTimeZone) {
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  setenv("TZ", "America/Los_Angeles", 1);
  tzset();
  EXPECT_EQ(text(wall_clock(1703141270)), "2023-12-21 14:47:50");
  EXPECT_EQ(to_unix({2023, 12, 21, 14, 48, 36}), 1703141316);
  if (old) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

}  // namespace
}  // namespace payhost::sdk::beijing
