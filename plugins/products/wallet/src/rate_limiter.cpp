#include "rate_limiter.hpp"

#include <algorithm>

namespace payhost::wallet {

RateLimiter::Decision RateLimiter::acquire(const std::string& key, Clock::time_point now) {
  if (limit_ <= 0) return {};
  std::lock_guard lock(mutex_);
  if (hits_.size() >= sweep_at_) sweep(now);
  auto& times = hits_[key];
  while (!times.empty() && now - times.front() >= window_)
    times.pop_front();
  if (static_cast<int>(times.size()) >= limit_) {
    const auto wait = window_ - (now - times.front());
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
    return {false, 0, seconds < 1 ? 1 : seconds};
  }
  times.push_back(now);
  return {true, limit_ - static_cast<int>(times.size()), 0};
}

void RateLimiter::sweep(Clock::time_point now) {
  std::erase_if(hits_, [&](const auto& entry) {
    return entry.second.empty() || now - entry.second.back() >= window_;
  });
  // Keep sweeping cheap: only when the map has doubled since the last sweep.
  sweep_at_ = std::max<std::size_t>(1024, hits_.size() * 2);
}

}  // namespace payhost::wallet
