// A sliding-window limiter per key (Laravel's throttle:5,0.1 on withdrawals). It lives in
// one process: with several payhostd hosts behind a balancer, each host counts its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace payhost::wallet {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `limit` requests per `window`; a limit of 0 allows everything.
  RateLimiter(int limit, std::chrono::milliseconds window) : limit_(limit), window_(window) {}

  struct Decision {
    bool allowed = true;
    int remaining = 0;
    std::int64_t retry_after_seconds = 0;  // when refused
  };

  Decision acquire(const std::string& key, Clock::time_point now = Clock::now());

  int limit() const { return limit_; }

 private:
  void sweep(Clock::time_point now);  // drops keys whose window has passed

  const int limit_;
  const std::chrono::milliseconds window_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> hits_;
  std::size_t sweep_at_ = 1024;
};

}  // namespace payhost::wallet
