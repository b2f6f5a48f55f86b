#include "beijing_time.hpp"

#include <cstdio>

#include "payhost/sdk/beijing_time.hpp"

namespace payhost::sandbox_unionpay {
namespace {

unsigned number(std::string_view digits) {
  unsigned out = 0;
  for (char c : digits)
    out = out * 10 + static_cast<unsigned>(c - '0');
  return out;
}

}  // namespace

std::string beijing_digits(std::int64_t unix) {
  const sdk::beijing::WallClock c = sdk::beijing::wall_clock(unix);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d%02u%02u%02u%02u%02u", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buffer;
}

std::string beijing_date_dashed(std::int64_t unix) {
  const std::string digits = beijing_digits(unix);
  return digits.substr(0, 4) + "-" + digits.substr(4, 2) + "-" + digits.substr(6, 2);
}

std::optional<std::int64_t> parse_beijing_digits(std::string_view text) {
  if (text.size() != 14) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const unsigned year = number(text.substr(0, 4));
  if (year < 2000 || year > 2099) return std::nullopt;
  return sdk::beijing::to_unix({static_cast<int>(year), number(text.substr(4, 2)),
                                number(text.substr(6, 2)), number(text.substr(8, 2)),
                                number(text.substr(10, 2)), number(text.substr(12, 2))});
}

}  // namespace payhost::sandbox_unionpay
