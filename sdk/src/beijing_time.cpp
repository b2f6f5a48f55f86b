#include "payhost/sdk/beijing_time.hpp"

#include <algorithm>

namespace payhost::sdk::beijing {

namespace {

using std::chrono::days;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

// The first and last instants whose Beijing date std::chrono::year can hold.
constexpr std::int64_t kFirst =
    (sys_seconds{sys_days{std::chrono::year::min() / std::chrono::January / 1}} - kUtcOffset)
        .time_since_epoch()
        .count();
constexpr std::int64_t kLast =
    (sys_seconds{sys_days{std::chrono::year::max() / std::chrono::December / 31}} + days{1} -
     seconds{1} - kUtcOffset)
        .time_since_epoch()
        .count();

}  // namespace

WallClock wall_clock(std::int64_t unix_seconds) noexcept {
  const sys_seconds at{seconds{std::clamp(unix_seconds, kFirst, kLast)} + kUtcOffset};
  const sys_days day = std::chrono::floor<days>(at);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss<seconds> time{at - day};
  return WallClock{static_cast<int>(date.year()),
                   static_cast<unsigned>(date.month()),
                   static_cast<unsigned>(date.day()),
                   static_cast<unsigned>(time.hours().count()),
                   static_cast<unsigned>(time.minutes().count()),
                   static_cast<unsigned>(time.seconds().count())};
}

std::optional<std::int64_t> to_unix(const WallClock& t, seconds utc_offset) noexcept {
  if (t.hour > 23 || t.minute > 59 || t.second > 59) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{t.year}, std::chrono::month{t.month},
                                         std::chrono::day{t.day}};
  if (!date.ok()) return std::nullopt;
  const sys_seconds local = sys_days{date} + std::chrono::hours{t.hour} +
                            std::chrono::minutes{t.minute} + seconds{t.second};
  return (local - utc_offset).time_since_epoch().count();
}

}  // namespace payhost::sdk::beijing
