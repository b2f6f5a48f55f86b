#include "beijing_time.hpp"

#include <cstdlib>

#include "payhost/sdk/beijing_time.hpp"

namespace payhost::unionpay {
namespace {

using sdk::beijing::WallClock;

std::optional<unsigned> digits(std::string_view text, std::size_t pos, std::size_t count) {
  unsigned value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

// "YYYYMMDDhhmmss" with a year UnionPay can mean (2000-2099); not checked as a date yet.
std::optional<WallClock> stamp_fields(std::string_view text) {
  if (text.size() != 14) return std::nullopt;
  const auto y = digits(text, 0, 4), mo = digits(text, 4, 2), d = digits(text, 6, 2),
             h = digits(text, 8, 2), mi = digits(text, 10, 2), s = digits(text, 12, 2);
  if (!y || !mo || !d || !h || !mi || !s || *y < 2000 || *y > 2099) return std::nullopt;
  return WallClock{static_cast<int>(*y), *mo, *d, *h, *mi, *s};
}

}  // namespace

std::string format_txn_time(std::int64_t unix_seconds) {
  const WallClock c = sdk::beijing::wall_clock(unix_seconds);
  const auto two = [](unsigned v) {
    return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
  };
  std::string out = std::to_string(c.year);
  while (out.size() < 4)
    out.insert(out.begin(), '0');
  out += two(c.month) + two(c.day) + two(c.hour) + two(c.minute) + two(c.second);
  return out;
}

std::optional<std::int64_t> parse_txn_time(std::string_view text) {
  const auto fields = stamp_fields(text);
  if (!fields) return std::nullopt;
  return sdk::beijing::to_unix(*fields);
}

std::optional<std::int64_t> parse_utc_stamp(std::string_view text) {
  const auto fields = stamp_fields(text);
  if (!fields) return std::nullopt;
  return sdk::beijing::to_unix(*fields, std::chrono::seconds{0});
}

std::optional<std::int64_t> parse_trace_time(std::string_view text, std::int64_t reference) {
  if (text.size() != 10) return std::nullopt;
  const auto mo = digits(text, 0, 2), d = digits(text, 2, 2), h = digits(text, 4, 2),
             mi = digits(text, 6, 2), s = digits(text, 8, 2);
  if (!mo || !d || !h || !mi || !s) return std::nullopt;
  const int reference_year = sdk::beijing::wall_clock(reference).year;
  std::optional<std::int64_t> best;
  for (int y = reference_year - 1; y <= reference_year + 1; ++y) {
    const auto t = sdk::beijing::to_unix({y, *mo, *d, *h, *mi, *s});
    if (!t) continue;  // 29 February outside a leap year
    if (!best || std::llabs(*t - reference) < std::llabs(*best - reference)) best = t;
  }
  return best;
}

}  // namespace payhost::unionpay
