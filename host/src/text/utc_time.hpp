// Unix seconds as UTC text, for order numbers and operators' listings.
#pragma once

#include <cstdint>
#include <string>

namespace payhost::host {

// `format` is strftime's, applied to the UTC time (e.g. "%Y-%m-%dT%H:%M:%SZ").
std::string format_utc(std::int64_t unix_seconds, const char* format);

// "2026-12-05T10:56:00Z".
inline std::string utc_iso8601(std::int64_t unix_seconds) {
  return format_utc(unix_seconds, "%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace payhost::host
