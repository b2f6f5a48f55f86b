#include "rfc3339.hpp"

#include <cstdio>

#include "payhost/sdk/beijing_time.hpp"

namespace payhost::sandbox_wechat {
namespace {

using sdk::beijing::WallClock;

std::optional<unsigned> digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  unsigned value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return value;
}

}  // namespace

std::string format_rfc3339_beijing(std::int64_t unix_seconds) {
  const WallClock c = sdk::beijing::wall_clock(unix_seconds);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02u:%02u:%02u+08:00", c.year, c.month,
                c.day, c.hour, c.minute, c.second);
  return buffer;
}

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
  if (text.size() < 20 || text.size() > 40 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2),
             hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (*second > 60) return std::nullopt;
  std::size_t pos = 19;
  if (text[pos] == '.') {
    const std::size_t start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
      ++pos;
    if (pos == start) return std::nullopt;
  }
  std::int64_t offset = 0;
  const std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    const auto oh = digits(zone, 1, 2), om = digits(zone, 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset = (zone[0] == '+' ? 1 : -1) * static_cast<std::int64_t>(*oh * 3600 + *om * 60);
  } else {
    return std::nullopt;
  }
  const unsigned whole_second = *second == 60 ? 59 : *second;
  return sdk::beijing::to_unix(
      {static_cast<int>(*year), *month, *day, *hour, *minute, whole_second},
      std::chrono::seconds{offset});
}

std::string beijing_date_digits(std::int64_t unix_seconds) {
  return beijing_timestamp_digits(unix_seconds).substr(0, 8);
}

std::string beijing_timestamp_digits(std::int64_t unix_seconds) {
  const WallClock c = sdk::beijing::wall_clock(unix_seconds);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d%02u%02u%02u%02u%02u", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buffer;
}

}  // namespace payhost::sandbox_wechat
