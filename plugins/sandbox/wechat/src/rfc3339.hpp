// RFC 3339 date-times as WeChat Pay v3 writes them ("2018-06-08T10:34:56+08:00": Beijing
// time, offset spelled out) and reads them (time_expire). The calendar is the SDK's
// (sdk::beijing), so the result never depends on the machine's TZ.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace payhost::sandbox_wechat {

// "yyyy-MM-ddTHH:mm:ss+08:00".
std::string format_rfc3339_beijing(std::int64_t unix_seconds);

// Strict RFC 3339 §5.6 date-time: "yyyy-MM-ddTHH:mm:ss", optional ".fraction" (ignored),
// then "Z" or "±HH:MM"; a real calendar date, hour ≤ 23, minute ≤ 59, second ≤ 60 (a leap
// second counts as :59). Unix seconds, or nullopt.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

// "yyyyMMdd" of the Beijing date (WeChat's ids embed it).
std::string beijing_date_digits(std::int64_t unix_seconds);
// "yyyyMMddHHmmss" in Beijing time.
std::string beijing_timestamp_digits(std::int64_t unix_seconds);

}  // namespace payhost::sandbox_wechat
