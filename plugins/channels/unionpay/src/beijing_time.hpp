// UnionPay speaks Beijing civil time (UTC+8, no daylight saving) as digits only:
// txnTime and payTimeout "YYYYMMDDhhmmss", traceTime "MMDDhhmmss", whatever time zone the
// machine running payhost is set to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace payhost::unionpay {

// Unix seconds -> "20261205163000" in Beijing time.
std::string format_txn_time(std::int64_t unix_seconds);

// Strict inverse of format_txn_time: exactly 14 digits forming a valid date and time
// (years 2000-2099).
std::optional<std::int64_t> parse_txn_time(std::string_view text);

// The same 14-digit shape read as UTC (payhost's own ids start with it).
std::optional<std::int64_t> parse_utc_stamp(std::string_view text);

// traceTime "MMDDhhmmss" (Beijing) carries no year: the year is the one that puts it
// closest to `reference` (Unix seconds, e.g. the trade's txnTime), so a trade sent on
// 31 December and paid on 1 January lands in the new year. nullopt unless 10 valid digits.
std::optional<std::int64_t> parse_trace_time(std::string_view text, std::int64_t reference);

}  // namespace payhost::unionpay
