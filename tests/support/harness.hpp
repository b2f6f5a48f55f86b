// payhost's own tests reach the kit's payhostd harness (payhost/sdk/testing/payhostd.hpp)
// through payhost::testing, beside the in-tree helpers that are not part of the kit: raw
// HTTP, the TCP proxy, the flow suite.
#pragma once

#include "payhost/sdk/testing/payhostd.hpp"

namespace payhost::testing {
using namespace payhost::sdk::testing;
}  // namespace payhost::testing
