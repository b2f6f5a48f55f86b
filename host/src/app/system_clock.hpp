// The host's clock: the system's, in whole seconds since the epoch.
#pragma once

#include <cstdint>

#include "payhost/sdk/host.hpp"

namespace payhost::host {

class SystemClock final : public sdk::Clock {
 public:
  std::int64_t now() const noexcept override;
};

}  // namespace payhost::host
