// Requests per second per API key (config.api.rate_limit_per_second): a token bucket per
// key, holding two seconds' worth, refilled continuously. Per host: several hosts on one
// database each allow the rate.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace payhost::host::api {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(int per_second) : per_second_(per_second) {}

  // Takes one token for `key_id`; false when its bucket is empty. Always true when the
  // limit is off (0).
  bool allow(const std::string& key_id, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point refilled;
  };
  const int per_second_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // one per existing key: bounded
};

}  // namespace payhost::host::api
