// UnionPay writes every time in Beijing time (UTC+8, no daylight saving) as digits:
// txnTime and payTimeout YYYYMMDDhhmmss, traceTime MMDDhhmmss, settleDate MMDD.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace payhost::sandbox_unionpay {

// YYYYMMDDhhmmss of Unix seconds `unix`, Beijing time.
std::string beijing_digits(std::int64_t unix);

// The Unix seconds of 14 digits YYYYMMDDhhmmss read as Beijing time; nullopt unless it is
// exactly 14 digits naming a real calendar second (years 2000-2099).
std::optional<std::int64_t> parse_beijing_digits(std::string_view text);

// YYYY-MM-DD, Beijing time (the date in a merchant certificate's CN).
std::string beijing_date_dashed(std::int64_t unix);

}  // namespace payhost::sandbox_unionpay
