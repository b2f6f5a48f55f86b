#include <gtest/gtest.h>

#include "rate_limiter.hpp"

namespace payhost::wallet {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, FivePerSixSecondsPerUser) {
  RateLimiter limiter(5, 6s);
  const auto t0 = RateLimiter::Clock::time_point{} + 1000s;
  for (int i = 0; i < 5; ++i) {
    const auto d = limiter.acquire("1", t0 + std::chrono::milliseconds(i * 100));
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 4 - i);
  }
  auto refused = limiter.acquire("1", t0 + 1s);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 5);
  EXPECT_TRUE(limiter.acquire("2", t0 + 1s).allowed) << "users are counted apart";
  // The first hit leaves the window 6 s after it was made.
  EXPECT_FALSE(limiter.acquire("1", t0 + 5999ms).allowed);
  EXPECT_TRUE(limiter.acquire("1", t0 + 6s).allowed);
}

TEST(RateLimiter, ZeroMeansOff) {
  RateLimiter limiter(0, 6s);
  for (int i = 0; i < 100; ++i)
    EXPECT_TRUE(limiter.acquire("1").allowed);
}

TEST(RateLimiter, ForgetsIdleUsers) {
  RateLimiter limiter(1, 1s);
  const auto t0 = RateLimiter::Clock::time_point{} + 1000s;
  for (int i = 0; i < 5000; ++i)
    EXPECT_TRUE(limiter.acquire(std::to_string(i), t0).allowed);
  // Much later every old key is stale; sweeping keeps working and counting stays right.
  const auto later = t0 + 10s;
  for (int i = 0; i < 5000; ++i)
    EXPECT_TRUE(limiter.acquire(std::to_string(i), later).allowed);
  EXPECT_FALSE(limiter.acquire("1", later).allowed);
}

}  // namespace
}  // namespace payhost::wallet
