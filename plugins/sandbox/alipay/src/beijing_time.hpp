// Alipay's wall-clock format: "yyyy-MM-dd HH:mm:ss" in Beijing time (UTC+8, no DST).
// The calendar is the SDK's (sdk::beijing), so the result does not depend on the machine's
// TZ; the spelling is the simulator's own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace payhost::sandbox_alipay {

std::string format_beijing(std::int64_t unix_seconds);
// Strict: exactly 19 characters, a valid calendar date and time; nullopt otherwise.
std::optional<std::int64_t> parse_beijing(std::string_view text);
// "yyyyMMdd" of the Beijing date (trade numbers start with it).
std::string beijing_date_digits(std::int64_t unix_seconds);

}  // namespace payhost::sandbox_alipay
