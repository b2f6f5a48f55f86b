#include "beijing_time.hpp"

#include <array>
#include <cstdio>

#include "payhost/sdk/beijing_time.hpp"

namespace payhost::alipay {
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
  if (c.year < 0 || c.year > 9999) {  // not a time Alipay will see; keep it readable
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u %02u:%02u:%02u", c.year, c.month, c.day,
                  c.hour, c.minute, c.second);
    return buf.data();
  }
  // "yyyy-MM-dd HH:mm:ss" digit by digit: two of these go into every Alipay request.
  std::string out = "0000-00-00 00:00:00";
  const auto put = [&out](std::size_t end, unsigned value, int width) {
    for (int i = 1; i <= width; ++i, value /= 10)
      out[end - static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(4, static_cast<unsigned>(c.year), 4);
  put(7, c.month, 2);
  put(10, c.day, 2);
  put(13, c.hour, 2);
  put(16, c.minute, 2);
  put(19, c.second, 2);
  return out;
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

}  // namespace payhost::alipay
