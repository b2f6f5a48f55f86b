#include "payhost/sdk/money.hpp"

#include <cstdlib>

namespace payhost::sdk {
namespace {

constexpr Fen kMaxFen = 10'000'000'000'000;  // 10^11 yuan: far above any provider limit

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Digits only, at most 14 of them, so the value cannot overflow.
std::optional<Fen> digits_value(std::string_view s) {
  if (!all_digits(s) || s.size() > 14) return std::nullopt;
  Fen v = 0;
  for (char c : s)
    v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::string format_yuan(Fen amount) {
  const bool negative = amount < 0;
  // Work on the magnitude as unsigned so INT64_MIN cannot overflow.
  const auto magnitude =
      negative ? static_cast<std::uint64_t>(-(amount + 1)) + 1 : static_cast<std::uint64_t>(amount);
  const std::uint64_t cents = magnitude % 100;
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / 100);
  out += '.';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

std::optional<Fen> parse_yuan(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  if (whole.size() > 1 && whole.front() == '0') return std::nullopt;  // no leading zeros
  auto yuan = digits_value(whole);
  if (!yuan) return std::nullopt;
  Fen cents = 0;
  if (dot != std::string_view::npos) {
    const std::string_view frac = text.substr(dot + 1);
    if (frac.empty() || frac.size() > 2 || !all_digits(frac)) return std::nullopt;
    cents = (frac[0] - '0') * 10 + (frac.size() == 2 ? frac[1] - '0' : 0);
  }
  const Fen total = *yuan * 100 + cents;
  if (total > kMaxFen) return std::nullopt;
  return total;
}

std::optional<Fen> parse_fen(std::string_view text) {
  if (text.size() > 1 && text.front() == '0') return std::nullopt;
  auto v = digits_value(text);
  if (!v || *v > kMaxFen) return std::nullopt;
  return v;
}

}  // namespace payhost::sdk
