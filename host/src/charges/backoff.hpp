// How long the janitor waits before asking a provider again about a charge or a refund
// whose outcome it does not know yet: doubling from `base_seconds`, at most an hour.
#pragma once

#include <algorithm>
#include <cstdint>

namespace payhost::host {

inline std::int64_t retry_backoff_seconds(std::int64_t base_seconds, int attempts) {
  const std::int64_t base = std::max<std::int64_t>(1, base_seconds);
  return std::min<std::int64_t>(3600, base << std::clamp(attempts, 0, 10));
}

}  // namespace payhost::host
