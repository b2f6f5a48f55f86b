#include "app/system_clock.hpp"

#include <chrono>

namespace payhost::host {

std::int64_t SystemClock::now() const noexcept {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace payhost::host
