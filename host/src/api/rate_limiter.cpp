#include "api/rate_limiter.hpp"

#include <algorithm>

namespace payhost::host::api {

bool RateLimiter::allow(const std::string& key_id, Clock::time_point now) {
  if (per_second_ <= 0) return true;
  const double burst = 2.0 * per_second_;
  std::lock_guard lock(mutex_);
  auto [it, fresh] = buckets_.try_emplace(key_id, Bucket{burst, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.refilled).count();
    b.tokens = std::min(burst, b.tokens + std::max(0.0, elapsed) * per_second_);
    b.refilled = std::max(b.refilled, now);
  }
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace payhost::host::api
