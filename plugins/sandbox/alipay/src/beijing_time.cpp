#include "beijing_time.hpp"

#include <cstdio>

#include "payhost/sdk/beijing_time.hpp"

namespace payhost::sandbox_alipay {
namespace {

std::optional<unsigned> digits(std::string_view text, std::size_t pos, std::size_t count) {
  unsigned value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return value;
}

}  // namespace

std::string format_beijing(std::int64_t unix_seconds) {
  const sdk::beijing::WallClock c = sdk::beijing::wall_clock(unix_seconds);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02u:%02u:%02u", c.year, c.month, c.day,
                c.hour, c.minute, c.second);
  return buffer;
}

std::optional<std::int64_t> parse_beijing(std::string_view text) {
  if (text.size() != 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const auto year = digits(text, 0, 4);
  const auto month = digits(text, 5, 2);
  const auto day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2);
  const auto minute = digits(text, 14, 2);
  const auto second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  return sdk::beijing::to_unix({static_cast<int>(*year), *month, *day, *hour, *minute, *second});
}

std::string beijing_date_digits(std::int64_t unix_seconds) {
  const std::string text = format_beijing(unix_seconds);
  return text.substr(0, 4) + text.substr(5, 2) + text.substr(8, 2);
}

}  // namespace payhost::sandbox_alipay
