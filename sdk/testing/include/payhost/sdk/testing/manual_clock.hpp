// A clock a test moves by hand: nothing in a plugin under test waits for real time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "payhost/sdk/host.hpp"

namespace payhost::sdk::testing {

class ManualClock final : public Clock {
 public:
  // 2023-12-21 14:47:50 in Beijing: a weekday, inside every provider's certificate validity
  // the published vectors were made with.
  static constexpr std::int64_t kDefaultNow = 1703141270;

  explicit ManualClock(std::int64_t unix_seconds = kDefaultNow) : now_(unix_seconds) {}

  std::int64_t now() const noexcept override { return now_.load(); }
  void set(std::int64_t unix_seconds) noexcept { now_.store(unix_seconds); }
  void advance(std::chrono::seconds by) noexcept { now_.fetch_add(by.count()); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace payhost::sdk::testing
