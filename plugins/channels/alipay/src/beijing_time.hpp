// Alipay speaks Beijing civil time ("yyyy-MM-dd HH:mm:ss", UTC+8, no daylight saving) on
// the wire, whatever time zone the machine running payhost is set to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace payhost::alipay {

// Unix seconds -> "2023-12-21 14:48:36" in Beijing time.
std::string format_beijing(std::int64_t unix_seconds);

// Strict inverse of format_beijing: exactly "yyyy-MM-dd HH:mm:ss" with valid ranges.
std::optional<std::int64_t> parse_beijing(std::string_view text);

}  // namespace payhost::alipay
