// China Standard Time (UTC+8 all year, no daylight saving): the wall clock in which Chinese
// payment providers write their timestamps. Calendar arithmetic on C++20 <chrono>; each
// protocol's own spelling of a time (Alipay's "yyyy-MM-dd HH:mm:ss", UnionPay's
// "yyyyMMddHHmmss", RFC 3339 with +08:00) stays with the plugin that speaks it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace payhost::sdk::beijing {

inline constexpr std::chrono::seconds kUtcOffset{8 * 3600};

struct WallClock {
  int year = 1970;
  unsigned month = 1;  // 1-12
  unsigned day = 1;    // 1-31
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
};

// The Beijing wall clock at an instant (Unix seconds). Instants beyond the years
// std::chrono::year holds (-32767 to 32767) give its first or last second.
WallClock wall_clock(std::int64_t unix_seconds) noexcept;

// The instant of a Beijing wall-clock time (or of one `utc_offset` ahead of UTC, for
// protocols that state their offset), or nullopt when there is no such time (month 13,
// 30 February, hour 24, second 60).
std::optional<std::int64_t> to_unix(const WallClock& time,
                                    std::chrono::seconds utc_offset = kUtcOffset) noexcept;

}  // namespace payhost::sdk::beijing
