#include "rfc3339.hpp"

#include <array>
#include <cstdio>

#include "payhost/sdk/beijing_time.hpp"

namespace payhost::wechat {
namespace {

using sdk::beijing::WallClock;

std::optional<unsigned> digits(std::string_view s, std::size_t pos, std::size_t width) {
  if (pos + width > s.size()) return std::nullopt;
  unsigned value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return value;
}

bool at(std::string_view s, std::size_t pos, char c) {
  return pos < s.size() && s[pos] == c;
}

}  // namespace

std::string format_rfc3339_beijing(std::int64_t unix_seconds) {
  const WallClock c = sdk::beijing::wall_clock(unix_seconds);
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT%02u:%02u:%02u+08:00", c.year, c.month,
                c.day, c.hour, c.minute, c.second);
  return buf.data();
}

std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
  if (s.size() > 40) return std::nullopt;
  const auto year = digits(s, 0, 4);
  const auto month = digits(s, 5, 2);
  const auto day = digits(s, 8, 2);
  const auto hour = digits(s, 11, 2);
  const auto minute = digits(s, 14, 2);
  const auto second = digits(s, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (!at(s, 4, '-') || !at(s, 7, '-') || !at(s, 10, 'T') || !at(s, 13, ':') || !at(s, 16, ':')) {
    return std::nullopt;
  }
  if (*year < 1970) return std::nullopt;
  std::size_t pos = 19;
  if (at(s, pos, '.')) {
    const std::size_t first = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
      ++pos;
    if (pos == first || pos - first > 9) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (at(s, pos, 'Z')) {
    ++pos;
  } else if (at(s, pos, '+') || at(s, pos, '-')) {
    const bool negative = s[pos] == '-';
    const auto oh = digits(s, pos + 1, 2);
    const auto om = digits(s, pos + 4, 2);
    if (!oh || !om || !at(s, pos + 3, ':') || *oh > 23 || *om > 59) return std::nullopt;
    offset = (static_cast<std::int64_t>(*oh) * 60 + *om) * 60;
    if (negative) offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return sdk::beijing::to_unix({static_cast<int>(*year), *month, *day, *hour, *minute, *second},
                               std::chrono::seconds{offset});
}

}  // namespace payhost::wechat
