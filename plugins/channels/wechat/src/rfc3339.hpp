// WeChat Pay v3 writes times as RFC 3339 ("2018-06-08T10:34:56+08:00"). Requests carry
// Beijing time (+08:00, no daylight saving) whatever zone the machine is set to; answers
// and notifications are read with whatever offset they state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace payhost::wechat {

// Unix seconds -> "2026-12-05T16:30:00+08:00".
std::string format_rfc3339_beijing(std::int64_t unix_seconds);

// "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)" -> Unix seconds (the fraction is
// dropped). Anything else, out-of-range fields (Feb 30, 24:00, leap seconds) or years
// outside 1970..9999 -> nullopt.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace payhost::wechat
